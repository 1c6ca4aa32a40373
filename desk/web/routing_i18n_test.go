package web

import "testing"

func TestRoutingKeysExist(t *testing.T) {
	for _, k := range []string{"sys.requeue_offline", "sys.requeue_silent", "inbox.next_ticket", "js.next_none"} {
		wantKey(t, "routing", k)
	}
}
