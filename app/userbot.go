package app

import (
	"context"
	"errors"
	"time"

	"github.com/leadgenrunner/leadgenrunner/bot"
	"github.com/leadgenrunner/leadgenrunner/store"
	"github.com/leadgenrunner/leadgenrunner/userbot"
)

// userbotAdapter lets the bot use the userbot through bot.Userbot, so the
// bot never imports gotd. It translates types and errors, nothing more.
type userbotAdapter struct{ m *userbot.Manager }

var _ bot.Userbot = userbotAdapter{}

// botErr maps userbot's errors to the bot's, keeping the original wrapped
// for logs.
func botErr(err error) error {
	if err == nil {
		return nil
	}
	var fw *userbot.FloodWaitError
	if errors.As(err, &fw) {
		return &bot.FloodWaitError{Wait: fw.Wait}
	}
	for _, m := range []struct{ from, to error }{
		{userbot.ErrPhoneInvalid, bot.ErrPhoneInvalid},
		{userbot.ErrCodeInvalid, bot.ErrCodeInvalid},
		{userbot.ErrCodeExpired, bot.ErrCodeExpired},
		{userbot.ErrPasswordInvalid, bot.ErrPasswordInvalid},
		{userbot.ErrNotRegistered, bot.ErrNotRegistered},
		{userbot.ErrNoPendingLogin, bot.ErrNoLogin},
		{userbot.ErrAccountBanned, bot.ErrBanned},
		{userbot.ErrSessionRevoked, bot.ErrNoLogin},
		{userbot.ErrNotConnected, bot.ErrNotConnected},
		{userbot.ErrAlreadyConnected, bot.ErrAlreadyConnected},
		{userbot.ErrAlreadyInUse, bot.ErrAccountInUse},
	} {
		if errors.Is(err, m.from) {
			return errors.Join(m.to, err)
		}
	}
	return err
}

func loginCode(li userbot.LoginInfo) bot.LoginCode {
	return bot.LoginCode{Length: li.CodeLength, Via: li.Via}
}

func (u userbotAdapter) StartLogin(ctx context.Context, ownerID int64, phone string) (bot.LoginCode, error) {
	li, err := u.m.StartLogin(ctx, ownerID, phone)
	return loginCode(li), botErr(err)
}

func (u userbotAdapter) ResendCode(ctx context.Context, ownerID int64) (bot.LoginCode, error) {
	li, err := u.m.ResendCode(ctx, ownerID)
	return loginCode(li), botErr(err)
}

func (u userbotAdapter) SubmitCode(ctx context.Context, ownerID int64, code string) (bool, error) {
	need, err := u.m.SubmitCode(ctx, ownerID, code)
	return need, botErr(err)
}

func (u userbotAdapter) SubmitPassword(ctx context.Context, ownerID int64, password string) error {
	return botErr(u.m.SubmitPassword(ctx, ownerID, password))
}

func (u userbotAdapter) QRLogin(ctx context.Context, ownerID int64, show func(string, time.Time) error) (bool, error) {
	need, err := u.m.QRLogin(ctx, ownerID, show)
	return need, botErr(err)
}

func (u userbotAdapter) CancelLogin(ownerID int64) { u.m.CancelLogin(ownerID) }

func (u userbotAdapter) Account(ownerID int64) (bot.Account, bool) {
	st := u.m.Status(ownerID)
	if st.State == userbot.StateNone {
		return bot.Account{}, false
	}
	return bot.Account{
		Phone: st.Phone, Username: st.Username, Name: st.Name, State: st.State,
		ChatsMonitored: st.ChatsMonitored, ChannelsJoined: st.ChannelsJoined, LastMessage: st.LastMessage,
	}, true
}

// The bot keys chats by their Bot API id (-id for groups, -100<id> for
// supergroups and channels), which is unique across types; MTProto ids of a
// basic group and a channel can coincide.
func toDialog(c userbot.Chat) bot.Dialog {
	return bot.Dialog{
		ID: store.BotAPIChatID(c.Type, c.ID), AccessHash: c.AccessHash, Title: c.Title,
		Type: c.Type, Username: c.Username, Members: c.Members,
	}
}

func toChat(d bot.Dialog) userbot.Chat {
	id := -d.ID
	if d.Type != store.ChatGroup {
		id = -d.ID - 1_000_000_000_000
	}
	return userbot.Chat{ID: id, AccessHash: d.AccessHash, Title: d.Title, Type: d.Type, Username: d.Username, Members: d.Members}
}

func toDialogs(cs []userbot.Chat) []bot.Dialog {
	out := make([]bot.Dialog, len(cs))
	for i, c := range cs {
		out[i] = toDialog(c)
	}
	return out
}

func (u userbotAdapter) Dialogs(ctx context.Context, ownerID int64) ([]bot.Dialog, error) {
	cs, err := u.m.Dialogs(ctx, ownerID)
	return toDialogs(cs), botErr(err)
}

func (u userbotAdapter) SelectedChats(ownerID int64) ([]bot.Dialog, error) {
	cs, err := u.m.SelectedChats(ownerID)
	return toDialogs(cs), botErr(err)
}

func (u userbotAdapter) SetSelected(ctx context.Context, ownerID int64, d bot.Dialog, selected bool) error {
	return botErr(u.m.SetSelected(ctx, ownerID, toChat(d), selected))
}

func (u userbotAdapter) Disconnect(ctx context.Context, ownerID int64) error {
	return botErr(u.m.Disconnect(ctx, ownerID))
}
