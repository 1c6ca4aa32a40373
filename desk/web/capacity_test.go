package web_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// Eight parallel "next ticket" requests of one agent with capacity 3 give
// exactly three tickets (issue 10.4: capacity 8 once gave ten).
func TestParallelNextTicketKeepsCapacity(t *testing.T) {
	h := newHarness(t)
	const n, capacity = 8, 3
	for i := range n {
		tk := h.inbound(fmt.Sprintf("m%d", i), fmt.Sprintf("cust-%d", i), "你好")
		h.moveToTeam(tk.ID, "A")
	}
	if r := h.call("PUT", "/api/v1/routing/agents/"+h.agentA.ID, h.admin, map[string]any{"capacity": capacity}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("set capacity: %d", r.StatusCode)
	}
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/tickets/next", nil)
			req.Header.Set("Authorization", "Bearer "+h.agent)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[http.StatusOK] != capacity || count[http.StatusConflict] != n-capacity {
		t.Fatalf("answers %v, want %d × 200 and %d × 409", count, capacity, n-capacity)
	}
}
