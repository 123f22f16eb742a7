package bot

import (
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
	return b.show(c, b.helpText(u), backToMenu(tr(u.Lang)))
}
