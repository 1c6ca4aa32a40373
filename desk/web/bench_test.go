package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

// BenchmarkInbound posts customer messages through the whole HTTP path
// (auth, decode, ingest, commit, publish) from 32 concurrent clients.
func BenchmarkInbound(b *testing.B) {
	h := newHarness(b)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			body := fmt.Sprintf(`{"external_id":"b-%d","thread_key":"t","from":{"kind":"api","value":"c-%d"},"text":"我想查询还款计划 %d"}`, i, i%500, i)
			req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/inbound", bytes.NewBufferString(body))
			req.Header.Set("Authorization", "Bearer "+h.admin)
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}
