package web

import (
	"fmt"
	"net/http"
)

// healthz answers 200 "ok" while the store answers a ping, else 503.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	if err := s.cfg.Store.Ping(); err != nil {
		return HTTPError{Code: http.StatusServiceUnavailable, Msg: "store unavailable", Err: fmt.Errorf("ping store: %w", err)}
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, err := w.Write([]byte("ok"))
	return err
}
