package bottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake Telegram Bot API server. Its methods are safe for
// concurrent use. Create one with New or NewT.
type Server struct {
	ts     *httptest.Server
	token  string
	bot    wireUser
	closed chan struct{} // closed by Close; ends long polls and waits

	// answerTimeout bounds how long Press and PressData wait for
	// answerCallbackQuery; 5 s outside this package's tests.
	answerTimeout time.Duration

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	chats   map[int64]*chat
	// updates are queued, unconfirmed updates in update_id order.
	updates      []wireUpdate
	nextUpdateID int
	calls        []Call
	faults       map[string][]fault
	callbacks    map[string]*callbackQuery
	nextCallback int
	files        map[string]File
	nextFile     int
	commands     string
}

var _ http.Handler = (*Server)(nil)

// chat is one chat's transcript.
type chat struct {
	id     int64
	user   *User // the other party of a private chat, once known
	nextID int
	msgs   []*Message // in id order
}

// callbackQuery is a callback query the server sent to the bot.
type callbackQuery struct {
	answered bool
}

type fault struct {
	status     int
	retryAfter int
}

// Call is one recorded Bot API request.
type Call struct {
	Method string
	// Params holds every parameter as a string: JSON strings unquoted,
	// other JSON values as their JSON text (e.g. reply_markup, commands).
	Params map[string]string
	// Files holds multipart file parts by field name.
	Files map[string]File
	Time  time.Time
	// Status is the HTTP status of the answer, 0 while a long poll is
	// still waiting.
	Status int
}

// botID is the numeric part of the token, the bot's user id.
const botID = 123456

// New starts a Server on a loopback port. Call Close when done, or use
// NewT.
func New() *Server {
	s := &Server{
		token:         fmt.Sprintf("%d:TEST-TOKEN", botID),
		closed:        make(chan struct{}),
		answerTimeout: 15 * time.Second, // about how long Telegram keeps a callback answerable
		changed:       make(chan struct{}),
		chats:         make(map[int64]*chat),
		nextUpdateID:  1,
		faults:        make(map[string][]fault),
		callbacks:     make(map[string]*callbackQuery),
		files:         make(map[string]File),
	}
	yes, no := true, false
	s.bot = wireUser{
		ID: botID, IsBot: true, FirstName: "Test Bot", Username: "test_bot",
		CanJoinGroups: &yes, CanReadAllGroupMessages: &no, SupportsInlineQueries: &no,
	}
	s.ts = httptest.NewServer(s)
	return s
}

// NewT is New with Close registered in t.Cleanup. Cleanups run last
// registered first, so register the bot's Stop after NewT to stop polling
// before the server goes away.
func NewT(t testing.TB) *Server {
	t.Helper()
	s := New()
	t.Cleanup(s.Close)
	return s
}

// URL returns the server's base URL, for telebot's Settings.URL.
func (s *Server) URL() string { return s.ts.URL }

// Token returns the bot token the server accepts; requests with another
// token get 401 Unauthorized.
func (s *Server) Token() string { return s.token }

// Close ends pending long polls and waits, then shuts the server down. It
// is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		return
	default:
	}
	close(s.closed)
	s.mu.Unlock()
	s.ts.Close()
}

// Fail makes the next n calls of method fail with status. 429 answers
// "Too Many Requests: retry after <retryAfter>" with
// parameters.retry_after, which telebot turns into a FloodError; 5xx
// answers the status text (502 "Bad Gateway"); 403 answers "Forbidden: bot
// was blocked by the user"; other statuses answer their status text.
// Faults for a method queue up in call order; n <= 0 clears them.
func (s *Server) Fail(method string, n int, status int, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.faults, method)
		return
	}
	for range n {
		s.faults[method] = append(s.faults[method], fault{status: status, retryAfter: retryAfter})
	}
}

// Calls returns every recorded call of method, oldest first, including
// failed calls and calls of unknown methods.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.Method == method {
			c.Params = maps.Clone(c.Params)
			c.Files = maps.Clone(c.Files)
			out = append(out, c)
		}
	}
	return out
}

// apiError is a Bot API error answer.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s", e.code, e.description) }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: http.StatusBadRequest, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func (f fault) apiError() *apiError {
	switch {
	case f.status == http.StatusTooManyRequests:
		return &apiError{code: f.status, description: fmt.Sprintf("Too Many Requests: retry after %d", f.retryAfter), retryAfter: f.retryAfter}
	case f.status == http.StatusForbidden:
		return &apiError{code: f.status, description: "Forbidden: bot was blocked by the user"}
	default:
		return &apiError{code: f.status, description: http.StatusText(f.status)}
	}
}

// request is one decoded API call, handed to a method handler.
type request struct {
	ctx    context.Context
	params map[string]string
	files  map[string]File
}

// ServeHTTP answers /bot<token>/<method> requests. It makes Server an
// http.Handler, so it can also be mounted elsewhere.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" || strings.Contains(method, "/") {
		writeAnswer(w, nil, &apiError{code: http.StatusNotFound, description: "Not Found"})
		return
	}
	if token != s.token {
		writeAnswer(w, nil, &apiError{code: http.StatusUnauthorized, description: "Unauthorized"})
		return
	}
	params, files, decodeErr := decodeRequest(r)

	s.mu.Lock()
	idx := len(s.calls)
	s.calls = append(s.calls, Call{Method: method, Params: params, Files: files, Time: time.Now()})
	var apiErr *apiError
	if q := s.faults[method]; len(q) > 0 {
		apiErr = q[0].apiError()
		if len(q) == 1 {
			delete(s.faults, method)
		} else {
			s.faults[method] = q[1:]
		}
	}
	s.notifyLocked()
	s.mu.Unlock()

	var result any
	switch {
	case apiErr != nil:
	case decodeErr != nil:
		apiErr = badRequest("can't parse request: %v", decodeErr)
	default:
		h, ok := handlers[method]
		if !ok {
			apiErr = &apiError{code: http.StatusNotFound, description: "Not Found: method not found"}
			break
		}
		result, apiErr = h(s, &request{ctx: r.Context(), params: params, files: files})
	}
	status := writeAnswer(w, result, apiErr)

	s.mu.Lock()
	s.calls[idx].Status = status
	s.mu.Unlock()
}

// writeAnswer writes a Bot API answer and returns its HTTP status.
func writeAnswer(w http.ResponseWriter, result any, apiErr *apiError) int {
	resp := wireResponse{OK: true, Result: result}
	status := http.StatusOK
	if apiErr != nil {
		status = apiErr.code
		resp = wireResponse{ErrorCode: apiErr.code, Description: apiErr.description}
		if apiErr.retryAfter > 0 {
			resp.Parameters = &wireParameters{RetryAfter: apiErr.retryAfter}
		}
	}
	body, err := json.Marshal(resp)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	return status
}

// notifyLocked wakes everything waiting for a state change. s.mu must be
// held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Errors wrapped by WaitFor, WaitTranscript, Press and PressData.
var (
	// ErrTimeout means the time to wait ran out.
	ErrTimeout = errors.New("timed out")
	// ErrClosed means the server was closed while waiting.
	ErrClosed = errors.New("server closed")
)

// waitUntil calls check until it returns true, then returns nil; it
// checks again after every state change. It gives up with ErrTimeout after
// timeout, ErrClosed once the server is closed, or ctx's error. check runs
// without s.mu held and takes it as needed, so callers' predicates may
// call Server methods.
func (s *Server) waitUntil(ctx context.Context, timeout time.Duration, check func() bool) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		// Take the channel before checking: a change after this point
		// closes it, so none is missed.
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if check() {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return ErrTimeout
		case <-s.closed:
			return ErrClosed
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
