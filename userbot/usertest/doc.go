// Package usertest is an in-process fake of Telegram's MTProto API for tests
// of package userbot (and of anything that runs a gotd telegram.Client).
//
// A Cluster runs gotd's tgtest/cluster (one DC, id 2, real MTProto over
// loopback TCP) with handlers that keep just enough server state to behave
// like Telegram for a user account:
//
//   - Accounts (AddAccount) with deterministic login codes (Account.Code),
//     code hashes tied to the auth key that asked for them, code expiry and
//     resend, 2FA checked by a server-side SRP, sign-up-required for unknown
//     numbers, QR login tokens, auth.logOut, session revocation and bans.
//   - Basic groups, supergroups and channels (AddGroup, AddSupergroup,
//     AddChannel) with dialogs, history, full-chat info, contacts.search and
//     channels.joinChannel.
//   - Messages injected with Cluster.Post and Cluster.Edit are stored in the
//     chat's history and pushed to every member's latest MTProto session:
//     updateNewMessage with the member's own pts for basic groups,
//     updateNewChannelMessage with the channel's pts otherwise. Clients that
//     were offline catch up through updates.getDifference and
//     updates.getChannelDifference. A channel's pts is 1 at creation.
//   - A login code sent in any chat expires, as in Telegram.
//   - Error injection per account or for the whole cluster (FailNext).
//
// Handlers run on the connection's read loop, so they never block: pushes
// to other sessions go through a per-auth-key queue drained by its own
// goroutine. The server uses the wall clock; do not give clients a fake one.
//
// Simplifications, on purpose: one DC; access hashes are per chat or user,
// not per viewer; message ids of basic groups and private chats come from one
// counter shared by all accounts (unique per account, as in Telegram, but
// equal for every member); seq is always 0; qts is unused.
//
// Package usertest imports gotd and the standard library only; it is for
// tests and must not be imported by production code.
package usertest
