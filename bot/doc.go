// Package bot is the Bot API conversation of LeadGenRunner: onboarding,
// inline menus, keyword editing, account login and chat picking, leads,
// alert settings, analytics, settings, the alert sender, the callback codec
// and the en/ru catalogs.
//
// One file per screen (start.go, menu.go, keywords.go, account.go, chats.go,
// leads.go, alertsettings.go, analytics.go, testrules.go, settings.go,
// help.go); alerts.go drains the alert outbox. Every handler starts from the
// presser's Telegram ID and loads only that owner's records, so forged or
// replayed callback data can never reach another owner's data. bot imports
// telebot, store and monitor (rule parsing, highlighting, Test my keywords);
// it reaches owners' Telegram accounts only through the Userbot interface,
// and never imports gotd, stripe or openai.
package bot
