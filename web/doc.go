// Package web is the small HTTP surface of LeadGenRunner: the privacy page
// (English and Russian), the landing text, the health check and, later, the
// Stripe checkout redirect and webhook.
//
// Every route is registered in one function, [Server.Handler] (routes.go).
// Handlers return errors; one adapter turns an [HTTPError] into a response
// and the request's single access-log line. Every response carries strict
// security headers, and the access log records method, path, status and
// duration but never a query string.
//
// web imports only the standard library. It reaches the store through
// [Pinger] and will reach billing only through interfaces declared here; it
// must never import store, billing, bot, userbot, monitor, ai, or any
// Telegram, Stripe or OpenAI client (see TestDeps).
package web
