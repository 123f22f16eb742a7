// Package userbot runs one MTProto client (gotd/td) per Telegram account
// that an owner connected, and owns everything that talks to Telegram as a
// user: login (code, 2FA, QR), dialogs, live updates with catch-up,
// logout, and the few writes an owner approves (Send, Join) and Search.
//
// A Manager is built from a Config and started with Run. For every stored
// account (store.Accounts) it starts a telegram.Client whose session lives
// sealed in the store and whose updates state (pts, channel pts, channel
// access hashes) lives in the store's updates_state bucket, so a restart
// catches up with getDifference/getChannelDifference. Messages of the chats
// the owner selected (asked of the store at message time) go to the Sink,
// which stores them durably before it returns; messages of other chats are
// dropped here and written nowhere. Edits are not forwarded. A periodic
// reconciliation (messages.getHistory above the last seen id) fills gaps
// the update stream missed.
//
// Pending logins keep one live client each, because Telegram ties the phone
// code hash to the auth key that asked for it; they end on success, on
// CancelLogin, or after Config.LoginTimeout.
//
// FLOOD_WAIT is waited out up to Config.FloodWaitCap, beyond that the call
// fails with *FloodWaitError. AUTH_KEY_UNREGISTERED, SESSION_REVOKED and
// USER_DEACTIVATED_BAN stop the account's client, mark the account
// (needs_login or banned) and call Config.OnAccountState.
//
// Logs never carry phone numbers in full, codes, passwords, sessions, keys
// or message texts (gotd's own logs pass at info level and above only).
//
// userbot imports gotd (with gotd/log), golang.org/x/sync, store and the
// standard library; userbot/usertest is its fake Telegram for tests.
package userbot
