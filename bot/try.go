package bot

import (
	"context"
	"errors"
)

// Try runs one turn of the admin console's conversation conversationKey:
// text is ingested as a customer message on TryChannel (one ticket per
// key, so multi-turn tests keep state) and answered by exactly the
// production path, synchronously.
func (e *Engine) Try(ctx context.Context, conversationKey, text, lang string) (Reply, []Decision, error) {
	return Reply{}, nil, errors.New("bot: try: not built yet")
}
