package bot

import (
	"fmt"
	"strings"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Callback actions of the main menu.
const (
	actMenu   = "menu"
	actCancel = "cancel"
	actSoon   = "soon"
)

// Sections that later releases fill; actSoon's argument picks one. Only
// Subscription is left.
const soonSubscription = 4

func (b *Bot) menuText(u store.User) string {
	t := tr(u.Lang)
	kw, stop := 0, 0
	if s, err := b.store.Summary(u.ID); err == nil {
		kw, stop = s.Keywords, s.StopWords
	}
	return t.MenuTitle + "\n\n" + fmt.Sprintf(t.MenuSummaryF, t.Rules.N(u.Lang, kw), t.StopWords.N(u.Lang, stop))
}

func (b *Bot) menuKeyboard(u store.User) *tele.ReplyMarkup {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(t.BtnAccount, encodeCB(actAccount)), kb.Data(t.BtnChats, encodeCB(actChats, 0))),
		kb.Row(kb.Data(t.BtnKeywords, encodeCB(actRules, int64(store.Keyword), 0)), kb.Data(t.BtnLeads, encodeCB(actLeads, filterAll, 0))),
		kb.Row(kb.Data(t.BtnAnalytics, encodeCB(actStats)), kb.Data(t.BtnSubscription, encodeCB(actSoon, soonSubscription))),
		kb.Row(kb.Data(t.BtnSettings, encodeCB(actSettings)), kb.Data(t.BtnHelp, encodeCB(actHelp))),
	)
	return kb
}

func (b *Bot) showMenu(c tele.Context, u store.User) error {
	return b.show(c, b.menuText(u), b.menuKeyboard(u))
}

func (b *Bot) cbMenu(c tele.Context, u store.User, _ cb) error {
	return b.showMenu(c, u)
}

// onMenuCmd handles /menu and /cancel: leave whatever was awaited.
func (b *Bot) onMenuCmd(c tele.Context, u store.User) error {
	if u.Stage != stageDone {
		return b.resume(c, u)
	}
	u, err := b.leaveAwaiting(c, u)
	if err != nil {
		return err
	}
	return b.showMenu(c, u)
}

// cbCancel leaves whatever free-text input the bot was waiting for.
func (b *Bot) cbCancel(c tele.Context, u store.User, _ cb) error {
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	setToast(c, tr(u.Lang).Cancelled)
	return b.showMenu(c, u)
}

func (b *Bot) clearAwaiting(u store.User) (store.User, error) {
	if u.Awaiting == "" {
		return u, nil
	}
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Awaiting = ""
		return nil
	})
	if err != nil {
		return u, fmt.Errorf("clear conversation state: %w", err)
	}
	return u, nil
}

func (b *Bot) cbSoon(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	var text string
	switch d.arg(0) {
	case soonSubscription:
		text = t.SubscriptionSoon
	default:
		setToast(c, t.Outdated)
		return b.showMenu(c, u)
	}
	return b.show(c, text, backToMenu(t))
}

func backToMenu(t *texts) *tele.ReplyMarkup {
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))))
	return kb
}

// onText routes free text by what the bot is waiting for.
func (b *Bot) onText(c tele.Context, u store.User) error {
	if u.Stage != stageDone && u.Awaiting != awaitBusiness {
		return b.resume(c, u)
	}
	if strings.HasPrefix(c.Text(), "/") && u.Awaiting != awaitPassword {
		// A command we have no handler for (/cancel, a typo): never taken
		// as a keyword, phone or search text.
		u, err := b.leaveAwaiting(c, u)
		if err != nil {
			return err
		}
		if !isCancelText(c.Text()) {
			if err := c.Send(tr(u.Lang).NotExpected); err != nil {
				return err
			}
		}
		return b.showMenu(c, u)
	}
	if u.Awaiting == awaitCode {
		if _, ok := b.logins.get(u.ID); !ok {
			// The login ended (timeout, restart): nothing waits for a code.
			var err error
			if u, err = b.clearAwaiting(u); err != nil {
				return err
			}
		}
	}
	switch u.Awaiting {
	case awaitBusiness, awaitBusinessEdit:
		return b.onBusinessText(c, u)
	case awaitKeywords:
		return b.onRulesText(c, u, store.Keyword)
	case awaitStopWords:
		return b.onRulesText(c, u, store.StopWord)
	case awaitPhone:
		return b.onPhoneText(c, u)
	case awaitPassword:
		return b.onPasswordText(c, u)
	case awaitCode:
		// A code typed into any chat is cancelled by Telegram: remove it
		// from view and point to the keypad.
		if err := c.Delete(); err != nil {
			b.log.Warn("delete typed code", "user_id", u.ID, "err", err)
		}
		return c.Send(atr(u.Lang).KeypadHint)
	case awaitChatSearch:
		return b.onChatSearchText(c, u)
	}
	if err := c.Send(tr(u.Lang).NotExpected); err != nil {
		return err
	}
	return b.showMenu(c, u)
}

// onMedia answers anything that is not text: photos, stickers, contacts...
func (b *Bot) onMedia(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	switch u.Awaiting {
	case awaitBusiness, awaitBusinessEdit:
		return c.Send(t.BusinessNotText)
	case awaitKeywords, awaitStopWords:
		return c.Send(t.NotText)
	case awaitPassword:
		// A password may come as a caption: it must not stay in the chat.
		if err := c.Delete(); err != nil {
			b.log.Warn("delete password message", "user_id", u.ID, "err", err)
		}
		return c.Send(atr(u.Lang).PasswordNotText)
	case awaitPhone:
		return c.Send(atr(u.Lang).BadPhone)
	case awaitCode:
		return c.Send(atr(u.Lang).KeypadHint)
	case awaitChatSearch:
		var err error
		if u, err = b.clearAwaiting(u); err != nil {
			return err
		}
	}
	if u.Stage != stageDone {
		return b.resume(c, u)
	}
	if err := c.Send(t.NotExpected); err != nil {
		return err
	}
	return b.showMenu(c, u)
}
