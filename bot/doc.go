// Package bot is the Bot API conversation of LeadGenRunner: onboarding,
// inline menus, keyword editing, settings, the callback codec and the en/ru
// catalogs.
//
// One file per screen (start.go, menu.go, keywords.go, settings.go, help.go).
// Every handler starts from the presser's Telegram ID and loads only that
// owner's records, so forged or replayed callback data can never reach
// another owner's data. bot imports telebot and store, and monitor only for
// its pure rule parser; it never imports gotd, stripe or openai.
package bot
