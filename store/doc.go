// Package store owns LeadGenRunner's persistent state: the bbolt schema and
// its migrations, every read and write, and the sealing of secrets.
//
// Layout. Global buckets hold what must be found without knowing an owner:
// meta (schema_version), sessions (sealed MTProto sessions by account id),
// the alert outbox with its due-time index outbox_due (outbox.go), and the
// reserved updates_state, stripe_events and payments. Every owner's data
// lives under users/<uid>/ (nested buckets profile, rules_kw, rules_stop,
// messages, leads, stats_*, …), so code that starts from the Telegram id of whoever pressed
// a button can only reach that owner's records. Integer keys are big-endian
// so cursors iterate in order; values are JSON of unexported record types,
// which keeps the on-disk format independent of the exported structs.
// Missing records are reported as ErrNotFound.
//
// Secrets are sealed with XChaCha20-Poly1305 (see Sealer) under a master key
// from LoadMasterKey; associated data binds each blob to its record.
//
// Every Store method is safe for concurrent use. Callbacks such as the one
// given to UpdateUser run inside a write transaction: they must be quick and
// must not call back into the Store. Update and View hand out a Tx so the
// lead pipeline can store a whole batch of messages, leads and alerts in one
// transaction (tx.go).
//
// Store imports only bbolt, golang.org/x/crypto and the standard library.
package store
