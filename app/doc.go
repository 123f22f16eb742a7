// Package app wires LeadGenRunner together: it builds every component (store,
// bot, HTTP server) from one Config and runs them until the context ends. It
// is used by cmd/leadgenrunner, by end-to-end tests and by the sandbox, so
// what the tests run is what production runs.
package app
