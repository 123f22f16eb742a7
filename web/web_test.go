package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeStore is a Pinger whose answer the test sets.
type fakeStore struct{ err error }

func (f *fakeStore) Ping() error { return f.err }

var _ Pinger = (*fakeStore)(nil)

// logBuffer collects JSON log lines; safe for use from server goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes every log line written so far.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer builds a Server from cfg, filling in a healthy store and a
// debug-level JSON logger into the returned buffer.
func newTestServer(t *testing.T, cfg Config) (*Server, *logBuffer) {
	t.Helper()
	logs := new(logBuffer)
	if cfg.Store == nil {
		cfg.Store = &fakeStore{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, logs
}

// do serves one request through the full handler and returns the
// response and its body.
func do(t *testing.T, h http.Handler, method, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "minimal", cfg: Config{Store: &fakeStore{}}},
		{name: "full", cfg: Config{Store: &fakeStore{}, OperatorName: "Acme", ContactEmail: "privacy@example.com", BotUsername: "@LeadGenRunnerBot"}},
		{name: "no store", cfg: Config{}, wantErr: "Store is required"},
		{name: "email with display name", cfg: Config{Store: &fakeStore{}, ContactEmail: "Acme <privacy@example.com>"}, wantErr: "ContactEmail"},
		{name: "email garbage", cfg: Config{Store: &fakeStore{}, ContactEmail: "javascript:alert(1)"}, wantErr: "ContactEmail"},
		{name: "bot username too short", cfg: Config{Store: &fakeStore{}, BotUsername: "bot"}, wantErr: "BotUsername"},
		{name: "bot username with path", cfg: Config{Store: &fakeStore{}, BotUsername: "evil/../x?start=1"}, wantErr: "BotUsername"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil || s == nil {
					t.Fatalf("New = %v, %v; want a server", s, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v; want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestHealthz(t *testing.T) {
	tests := []struct {
		name       string
		pingErr    error
		wantStatus int
		wantBody   string
		wantLevel  string
	}{
		{name: "store up", wantStatus: 200, wantBody: "ok", wantLevel: "DEBUG"},
		{name: "store down", pingErr: errors.New("bbolt: database not open"), wantStatus: 503, wantBody: "store unavailable\n", wantLevel: "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newTestServer(t, Config{Store: &fakeStore{err: tt.pingErr}})
			res, body := do(t, s.Handler(), "GET", "/healthz", nil)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d; want %d", res.StatusCode, tt.wantStatus)
			}
			if body != tt.wantBody {
				t.Errorf("body = %q; want %q", body, tt.wantBody)
			}
			if got := res.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q; want %q", got, "no-store")
			}
			if tt.pingErr != nil && strings.Contains(body, tt.pingErr.Error()) {
				t.Errorf("body %q leaks the internal error", body)
			}
			lines := logs.lines(t)
			if len(lines) != 1 {
				t.Fatalf("got %d log lines; want 1: %s", len(lines), logs)
			}
			if got := lines[0]["level"]; got != tt.wantLevel {
				t.Errorf("log level = %v; want %s", got, tt.wantLevel)
			}
			if tt.pingErr != nil {
				if got, _ := lines[0]["error"].(string); !strings.Contains(got, tt.pingErr.Error()) {
					t.Errorf("log error = %q; want it to contain %q", got, tt.pingErr)
				}
			}
		})
	}
}

// TestRouting runs over a real HTTP server so HEAD and method handling are
// those of net/http, not of the recorder.
func TestRouting(t *testing.T) {
	s, logs := newTestServer(t, Config{})
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)

	tests := []struct {
		name      string
		method    string
		path      string
		want      int
		wantAllow string
		wantBody  string // exact, when set: proves the adapter, not net/http, answered
	}{
		{name: "landing", method: "GET", path: "/", want: 200},
		{name: "privacy", method: "GET", path: "/privacy", want: 200},
		{name: "health", method: "GET", path: "/healthz", want: 200, wantBody: "ok"},
		{name: "unknown path", method: "GET", path: "/wp-login.php", want: 404, wantBody: "page not found\n"},
		{name: "trailing slash", method: "GET", path: "/privacy/", want: 404, wantBody: "page not found\n"},
		{name: "sub-path of landing", method: "GET", path: "/privacy/x", want: 404, wantBody: "page not found\n"},
		{name: "unknown path, POST", method: "POST", path: "/nope", want: 404, wantBody: "page not found\n"},
		{name: "POST privacy", method: "POST", path: "/privacy", want: 405, wantAllow: "GET", wantBody: "method not allowed; use GET\n"},
		{name: "HEAD privacy", method: "HEAD", path: "/privacy", want: 405, wantAllow: "GET"},
		{name: "PUT privacy", method: "PUT", path: "/privacy", want: 405, wantAllow: "GET"},
		{name: "DELETE healthz", method: "DELETE", path: "/healthz", want: 405, wantAllow: "GET"},
		{name: "POST landing", method: "POST", path: "/", want: 405, wantAllow: "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, ts.URL+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s = %d; want %d", tt.method, tt.path, res.StatusCode, tt.want)
			}
			if got := res.Header.Get("Allow"); got != tt.wantAllow {
				t.Errorf("Allow = %q; want %q", got, tt.wantAllow)
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body = %q; want %q", body, tt.wantBody)
			}
			if res.StatusCode >= 400 {
				if got := res.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" {
					t.Errorf("Content-Type = %q; want plain text", got)
				}
			}
		})
	}
	if got := len(logs.lines(t)); got != len(tests) {
		t.Errorf("got %d access log lines for %d requests", got, len(tests))
	}
}

func TestSecurityHeaders(t *testing.T) {
	s, _ := newTestServer(t, Config{Store: &fakeStore{err: errors.New("down")}})
	h := s.Handler()
	for _, target := range []string{"/", "/privacy", "/privacy?lang=ru", "/healthz", "/missing"} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(method+" "+target, func(t *testing.T) {
				res, _ := do(t, h, method, target, nil)
				for _, want := range []struct{ key, val string }{
					{"X-Content-Type-Options", "nosniff"},
					{"Referrer-Policy", "no-referrer"},
					{"X-Frame-Options", "DENY"},
				} {
					if got := res.Header.Get(want.key); got != want.val {
						t.Errorf("%s = %q; want %q", want.key, got, want.val)
					}
				}
				csp := res.Header.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'none'", "style-src 'sha256-", "frame-ancestors 'none'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("Content-Security-Policy = %q; want it to contain %q", csp, want)
					}
				}
				if strings.Contains(csp, "unsafe") {
					t.Errorf("Content-Security-Policy = %q allows unsafe sources", csp)
				}
			})
		}
	}
}

// TestAccessLog checks the one line per request: its fields, its duration
// from the configured clock, and that the query string never appears.
func TestAccessLog(t *testing.T) {
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	calls := 0
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return base.Add(time.Duration(calls) * 1500 * time.Millisecond)
	}
	s, logs := newTestServer(t, Config{Now: now})
	res, _ := do(t, s.Handler(), "GET", "/privacy?lang=ru&token=s3cr3t-t0ken", nil)
	if res.StatusCode != 200 {
		t.Fatalf("status = %d; want 200", res.StatusCode)
	}
	if strings.Contains(logs.String(), "s3cr3t") || strings.Contains(logs.String(), "lang=ru") {
		t.Errorf("log contains the query string: %s", logs)
	}
	lines := logs.lines(t)
	if len(lines) != 1 {
		t.Fatalf("got %d log lines; want 1: %s", len(lines), logs)
	}
	l := lines[0]
	for key, want := range map[string]any{
		"level":    "INFO",
		"method":   "GET",
		"path":     "/privacy",
		"status":   float64(200),
		"duration": float64(1500 * time.Millisecond),
	} {
		if l[key] != want {
			t.Errorf("log %s = %v; want %v", key, l[key], want)
		}
	}
	if b, _ := l["bytes"].(float64); b <= 0 {
		t.Errorf("log bytes = %v; want the body size", l["bytes"])
	}
	if _, ok := l["error"]; ok {
		t.Errorf("log has an error for a good request: %v", l["error"])
	}
}

// TestAdapter drives the error adapter with handlers that fail in each way
// a handler can.
func TestAdapter(t *testing.T) {
	tests := []struct {
		name       string
		h          handlerFunc
		wantStatus int
		wantBody   string
		wantLogErr string
	}{
		{
			name:       "plain error hides its cause",
			h:          func(http.ResponseWriter, *http.Request) error { return errors.New("open db: permission denied") },
			wantStatus: 500, wantBody: "internal server error\n", wantLogErr: "permission denied",
		},
		{
			name: "wrapped HTTPError",
			h: func(http.ResponseWriter, *http.Request) error {
				return errors.Join(errors.New("ctx"), HTTPError{Code: 400, Msg: "bad plan", Err: errors.New("plan \"x\" unknown")})
			},
			wantStatus: 400, wantBody: "bad plan\n", wantLogErr: `plan "x" unknown`,
		},
		{
			name:       "pointer HTTPError without message",
			h:          func(http.ResponseWriter, *http.Request) error { return &HTTPError{Code: 403} },
			wantStatus: 403, wantBody: "forbidden\n", wantLogErr: "http 403",
		},
		{
			name:       "bogus code becomes 500",
			h:          func(http.ResponseWriter, *http.Request) error { return HTTPError{Code: 42, Msg: "odd"} },
			wantStatus: 500, wantBody: "odd\n", wantLogErr: "http 500",
		},
		{
			name:       "panic",
			h:          func(http.ResponseWriter, *http.Request) error { panic("boom") },
			wantStatus: 500, wantBody: "internal server error\n", wantLogErr: "panic: boom",
		},
		{
			name: "error after the response started",
			h: func(w http.ResponseWriter, _ *http.Request) error {
				w.WriteHeader(http.StatusAccepted)
				io.WriteString(w, "partial")
				return errors.New("client went away")
			},
			wantStatus: 202, wantBody: "partial", wantLogErr: "client went away",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, logs := newTestServer(t, Config{})
			res, body := do(t, s.logRequests(s.adapt(tt.h)), "GET", "/x", nil)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d; want %d", res.StatusCode, tt.wantStatus)
			}
			if body != tt.wantBody {
				t.Errorf("body = %q; want %q", body, tt.wantBody)
			}
			lines := logs.lines(t)
			if len(lines) != 1 {
				t.Fatalf("got %d log lines; want 1: %s", len(lines), logs)
			}
			if got, _ := lines[0]["error"].(string); !strings.Contains(got, tt.wantLogErr) {
				t.Errorf("log error = %q; want it to contain %q", got, tt.wantLogErr)
			}
			if got := lines[0]["status"]; got != float64(tt.wantStatus) {
				t.Errorf("log status = %v; want %d", got, tt.wantStatus)
			}
		})
	}
}
