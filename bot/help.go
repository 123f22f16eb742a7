package bot

import (
	"bytes"
	"fmt"
	"html"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

const actHelp = "help"

func (b *Bot) helpText(u store.User) string {
	t := tr(u.Lang)
	contact := t.HelpNoContact
	if b.cfg.ContactEmail != "" {
		contact = fmt.Sprintf(t.HelpContactF, html.EscapeString(b.cfg.ContactEmail))
	}
	return t.HelpText + "\n\n" + t.RuleSyntax + "\n\n" + contact + "\n" + b.privacyLink(u.Lang)
}

func (b *Bot) cbHelp(c tele.Context, u store.User, _ cb) error {
	return b.show(c, b.helpText(u), backToMenu(tr(u.Lang)))
}

func (b *Bot) onHelpCmd(c tele.Context, u store.User) error {
	if u.Stage != stageDone {
		return b.resume(c, u)
	}
	u, err := b.leaveAwaiting(c, u)
	if err != nil {
		return err
	}
	return b.show(c, b.helpText(u), backToMenu(tr(u.Lang)))
}

// onPrivacyCmd sends the privacy policy: the link when the service has a
// public address, and the page itself as an HTML document, so it can be read
// even where no address is configured (the bot then links "/privacy").
func (b *Bot) onPrivacyCmd(c tele.Context, u store.User) error {
	lang := u.Lang
	if !validLang(lang) {
		lang = langFromTelegram(c.Sender().LanguageCode)
	}
	t := tr(lang)
	if b.cfg.PublicURL != "" {
		if err := c.Send(t.BtnPrivacy+": "+b.privacyLink(lang), tele.ModeHTML, tele.NoPreview); err != nil {
			return err
		}
	}
	if b.cfg.PrivacyPage == nil {
		return nil
	}
	page, err := b.cfg.PrivacyPage(lang)
	if err != nil {
		return fmt.Errorf("render privacy page: %w", err)
	}
	return c.Send(&tele.Document{
		File:     tele.FromReader(bytes.NewReader(page)),
		FileName: "privacy-" + lang + ".html",
		MIME:     "text/html",
		Caption:  t.PrivacyNoURL,
	})
}
