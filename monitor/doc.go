// Package monitor is the lead pipeline: keyword rules, matching, dedupe,
// lead creation, alert scheduling and analytics counters.
//
// The keyword engine (rule.go, normalize.go, matcher.go) implements the
// matching spec in the eval data (shared/eval/matching/README.md): rules are
// parsed by ParseRule, compiled into an immutable Matcher by Compile, and a
// message is analyzed once (Analyze) and matched by MatchDoc or Match.
// RunMatch (matchcli.go) is the command-line contract of that spec.
//
// The pipeline (pipeline.go) takes messages from the userbot: Ingest
// matches a message against the owner's cached Matcher (rebuilt when
// store.RulesVersion changes), then hands it to the Run loop, which stores
// everything queued in one transaction (group commit): the message, its
// counters, and for a stop-free match in an unmuted chat either a new Lead
// with its outbox entry (due per AlertDue, schedule.go) or a cross-post
// added to the same sender's lead for the same text (DedupeKey, dedupe.go).
// Ingest returns only after that transaction is durable. TestRules
// (testrules.go) replays the current rules over recent stored messages.
//
// monitor never imports telebot, gotd, stripe or openai (TestDeps checks):
// whatever it needs from Telegram, billing or the LLM arrives through small
// interfaces declared in this package.
package monitor
