package bot

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Onboarding stages, stored in store.User.Stage.
const (
	stageNew      = ""
	stageLang     = "lang"
	stageConsent  = "consent"
	stageBusiness = "business"
	stageDone     = "done"
)

// Conversation states, stored in store.User.Awaiting.
const (
	awaitBusiness     = "business"
	awaitBusinessEdit = "business_edit"
	awaitKeywords     = "kw_add"
	awaitStopWords    = "stop_add"
)

const (
	minBusinessLen = 10
	maxBusinessLen = 1000
)

// Callback actions of onboarding.
const (
	actLang    = "lang"
	actAgree   = "agree"
	actDecline = "decline"
	actSkipBiz = "skipbiz"
)

const chooseLangText = "👋 <b>LeadGenRunner</b>\n\nChoose your language.\nВыберите язык."

// onStart handles /start: new owners begin onboarding, returning owners
// resume where they stopped, onboarded owners get the main menu.
func (b *Bot) onStart(c tele.Context) error {
	s := c.Sender()
	u, err := b.store.UpdateUser(s.ID, func(u *store.User) error {
		u.Username, u.FirstName = s.Username, s.FirstName
		if u.Stage == stageNew {
			u.Stage = stageLang
		}
		if u.Stage == stageDone {
			u.Awaiting = ""
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	return b.resume(c, u)
}

// resume shows the screen for where the owner is: an onboarding step or the
// main menu.
func (b *Bot) resume(c tele.Context, u store.User) error {
	switch u.Stage {
	case stageNew, stageLang:
		return b.show(c, chooseLangText, langKeyboard())
	case stageConsent:
		return b.showConsent(c, u)
	case stageBusiness:
		return b.askBusiness(c, u)
	default:
		return b.showMenu(c, u)
	}
}

func langKeyboard() *tele.ReplyMarkup {
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(
		kb.Data("🇬🇧 English", encodeCB(actLang, 0)),
		kb.Data("🇷🇺 Русский", encodeCB(actLang, 1)),
	))
	return kb
}

func (b *Bot) cbLang(c tele.Context, u store.User, d cb) error {
	lang := "en"
	if d.arg(0) == 1 {
		lang = "ru"
	}
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Lang = lang
		if u.Stage == stageNew || u.Stage == stageLang {
			u.Stage = stageConsent
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("set language: %w", err)
	}
	return b.resume(c, u)
}

func (b *Bot) privacyLink(lang string) string {
	if b.cfg.PublicURL == "" {
		return "/privacy"
	}
	url := b.cfg.PublicURL + "/privacy?lang=" + lang
	return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(url), html.EscapeString(url))
}

func (b *Bot) showConsent(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(t.BtnAgree, encodeCB(actAgree))),
		kb.Row(kb.Data(t.BtnDecline, encodeCB(actDecline))),
	)
	return b.show(c, fmt.Sprintf(t.ConsentF, b.privacyLink(u.Lang)), kb)
}

func (b *Bot) cbAgree(c tele.Context, u store.User, _ cb) error {
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		if u.Stage != stageConsent {
			return nil
		}
		u.ConsentAt = b.now().UTC()
		u.Stage = stageBusiness
		u.Awaiting = awaitBusiness
		return nil
	})
	if err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	return b.resume(c, u)
}

func (b *Bot) cbDecline(c tele.Context, u store.User, _ cb) error {
	if u.Stage != stageConsent {
		return b.resume(c, u)
	}
	return b.show(c, tr(u.Lang).Declined, nil)
}

func (b *Bot) askBusiness(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(t.BtnSkip, encodeCB(actSkipBiz))))
	return b.show(c, t.AskBusiness, kb)
}

func (b *Bot) cbSkipBusiness(c tele.Context, u store.User, _ cb) error {
	if u.Stage != stageBusiness {
		return b.resume(c, u)
	}
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Stage, u.Awaiting = stageDone, ""
		return nil
	})
	if err != nil {
		return fmt.Errorf("skip business: %w", err)
	}
	if err := b.show(c, tr(u.Lang).Welcome, nil); err != nil {
		return err
	}
	return c.Send(b.menuText(u), b.menuKeyboard(u), tele.ModeHTML)
}

// validateBusiness checks a business description and returns the owner-facing
// problem, or "" when it is fine.
func validateBusiness(t *texts, s string) string {
	n := utf8.RuneCountInString(s)
	switch {
	case n < minBusinessLen:
		return fmt.Sprintf(t.BusinessShortF, minBusinessLen)
	case n > maxBusinessLen:
		return fmt.Sprintf(t.BusinessLongF, maxBusinessLen)
	}
	return ""
}

// onBusinessText stores the business description typed during onboarding or
// from Settings.
func (b *Bot) onBusinessText(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	text := strings.TrimSpace(c.Text())
	if problem := validateBusiness(t, text); problem != "" {
		return c.Send(problem)
	}
	editing := u.Awaiting == awaitBusinessEdit
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Business = text
		u.Awaiting = ""
		if u.Stage == stageBusiness {
			u.Stage = stageDone
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save business: %w", err)
	}
	if editing {
		if err := c.Send(t.BusinessUpdated); err != nil {
			return err
		}
		return b.showSettings(c, u)
	}
	if err := c.Send(t.BusinessSaved + "\n\n" + t.Welcome); err != nil {
		return err
	}
	return b.showMenu(c, u)
}
