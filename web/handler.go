package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
)

// HTTPError is an error with an HTTP status. A handler returns it to choose
// the response; the adapter writes Code and Msg and logs Err.
type HTTPError struct {
	Code int    // HTTP status; zero means 500
	Msg  string // plain text shown to the client; zero: the status text
	Err  error  // logged, never shown; may be nil
}

func (e HTTPError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("http %d: %s", e.code(), e.msg())
	}
	return fmt.Sprintf("http %d: %s: %v", e.code(), e.msg(), e.Err)
}

func (e HTTPError) Unwrap() error { return e.Err }

func (e HTTPError) code() int {
	if e.Code < 100 || e.Code > 999 {
		return http.StatusInternalServerError
	}
	return e.Code
}

func (e HTTPError) msg() string {
	if e.Msg != "" {
		return e.Msg
	}
	if t := http.StatusText(e.code()); t != "" {
		return strings.ToLower(t)
	}
	return "error"
}

// asHTTPError maps any error to the HTTPError that decides the response:
// errors that are not HTTPErrors become a bare 500 that hides the cause.
func asHTTPError(err error) HTTPError {
	var he HTTPError
	if errors.As(err, &he) {
		return he
	}
	var hp *HTTPError
	if errors.As(err, &hp) && hp != nil {
		return *hp
	}
	return HTTPError{Code: http.StatusInternalServerError, Err: err}
}

// handlerFunc is a handler that reports failure by returning an error instead
// of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// errorAdapter is the one place that turns a handler's error into a response
// and attaches the error to the request's access-log line.
func (s *Server) adapt(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recordFrom(r.Context())
		err := callRecovering(h, w, r)
		if err == nil {
			return
		}
		he := asHTTPError(err)
		rec.err = &he
		if rec.status != 0 {
			// The handler already started its response; all we can do
			// is log.
			return
		}
		hdr := w.Header()
		hdr.Del("Content-Length")
		hdr.Del("Content-Language")
		hdr.Set("Content-Type", "text/plain; charset=utf-8")
		hdr.Set("Cache-Control", "no-store")
		w.WriteHeader(he.code())
		fmt.Fprintln(w, he.msg())
	})
}

// callRecovering runs h and turns a panic into a 500 error, except
// http.ErrAbortHandler, which net/http uses to abort a response on purpose.
func callRecovering(h handlerFunc, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = HTTPError{Code: http.StatusInternalServerError, Err: fmt.Errorf("panic: %v", p)}
		}
	}()
	return h(w, r)
}

// accessRecord collects what the access log line reports about one request.
type accessRecord struct {
	status int
	bytes  int64
	err    *HTTPError
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	rec *accessRecord
}

func (w *statusWriter) WriteHeader(code int) {
	if w.rec.status == 0 && code >= 200 {
		w.rec.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.rec.status == 0 {
		w.rec.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type recordKey struct{}

// recordFrom returns the request's access record, or a throwaway one when
// the request did not pass through logRequests.
func recordFrom(ctx context.Context) *accessRecord {
	if rec, ok := ctx.Value(recordKey{}).(*accessRecord); ok {
		return rec
	}
	return new(accessRecord)
}

// logRequests writes one log line per request: method, path, status,
// duration, size and, when a handler failed, its error. The query string
// is never logged: it may carry tokens or session ids.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		rec := new(accessRecord)
		r = r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
		next.ServeHTTP(&statusWriter{ResponseWriter: w, rec: rec}, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", s.now().Sub(start)),
			slog.Int64("bytes", rec.bytes),
		}
		if rec.err != nil {
			attrs = append(attrs, slog.String("error", rec.err.Error()))
		}
		level := slog.LevelInfo
		switch {
		case rec.status >= 500:
			level = slog.LevelError
		case r.URL.Path == "/healthz" && rec.status == http.StatusOK:
			// Probes hit this every few seconds; keep them out of
			// the info log unless they fail.
			level = slog.LevelDebug
		}
		s.log.LogAttrs(r.Context(), level, "http request", attrs...)
	})
}

// secureHeaders sets the security headers every response carries, errors
// and redirects included.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// methodNotAllowed answers a known path requested with the wrong method.
func methodNotAllowed(allow ...string) handlerFunc {
	allowed := strings.Join(allow, ", ")
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", allowed)
		return HTTPError{Code: http.StatusMethodNotAllowed, Msg: "method not allowed; use " + allowed}
	}
}

// notFound answers every path no route claims.
func notFound(w http.ResponseWriter, r *http.Request) error {
	return HTTPError{Code: http.StatusNotFound, Msg: "page not found"}
}
