package web

import "net/http"

// Handler returns the handler for every route. All routes are registered
// here and nowhere else.
//
// Each page is registered for exactly the methods it serves. The bare path
// (any other method) answers 405 with an Allow header, and "/" answers 404,
// so every outcome goes through the error adapter. HEAD is refused
// explicitly: net/http would otherwise serve it from the GET handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	get := func(path string, h handlerFunc) {
		mux.Handle("GET "+path, s.adapt(h))
		mux.Handle("HEAD "+path, s.adapt(methodNotAllowed(http.MethodGet)))
		mux.Handle(path, s.adapt(methodNotAllowed(http.MethodGet)))
	}

	get("/{$}", s.landing)
	get("/privacy", s.privacy)
	get("/healthz", s.healthz)
	// Later: "GET /checkout/{plan}" (redirect to Stripe Checkout) and
	// "POST /stripe/webhook", through interfaces declared in this package.

	mux.Handle("/", s.adapt(notFound))

	return s.logRequests(s.secureHeaders(mux))
}
