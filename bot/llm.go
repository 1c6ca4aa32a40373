package bot

import (
	"net/http"
	"time"
)

// LLM is an OpenAI-compatible chat completions endpoint (self-hosted Qwen,
// DeepSeek …) that may only rephrase the text of retrieved articles. It
// never sees account facts and decides nothing.
type LLM struct {
	// Endpoint is the base URL, e.g. http://127.0.0.1:8000/v1.
	Endpoint string
	Model    string
	APIKey   string
	Timeout  time.Duration // default 5s
	Client   *http.Client
}
