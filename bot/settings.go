package bot

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"time"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Callback actions of Settings.
const (
	actSettings   = "set"
	actSwitchLang = "setlang"
	actMyData     = "mydata"
	actEditBiz    = "editbiz"
	actExport     = "export"
	actDelete     = "del"
	actDeleteYes  = "delyes"
)

func (b *Bot) showSettings(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(t.BtnLanguage, encodeCB(actSwitchLang)), kb.Data(t.BtnAlerts, encodeCB(actAlerts))),
		kb.Row(kb.Data(t.BtnMyData, encodeCB(actMyData)), kb.Data(t.BtnBusiness, encodeCB(actEditBiz))),
		kb.Row(kb.Data(t.BtnExport, encodeCB(actExport)), kb.Data(t.BtnDelete, encodeCB(actDelete))),
		kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
	)
	text := fmt.Sprintf(t.SettingsTitleF, t.LangName) + "\n\n" + t.BtnPrivacy + ": " + b.privacyLink(u.Lang)
	return b.show(c, text, kb)
}

func (b *Bot) cbSettings(c tele.Context, u store.User, _ cb) error {
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	return b.showSettings(c, u)
}

func (b *Bot) cbSwitchLang(c tele.Context, u store.User, _ cb) error {
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		if u.Lang == "ru" {
			u.Lang = "en"
		} else {
			u.Lang = "ru"
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("switch language: %w", err)
	}
	setToast(c, tr(u.Lang).LangChanged)
	return b.showSettings(c, u)
}

func backToSettings(t *texts) *tele.ReplyMarkup {
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(t.BtnBack, encodeCB(actSettings))))
	return kb
}

func (b *Bot) cbMyData(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	s, err := b.store.Summary(u.ID)
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	consent := t.None
	if !u.ConsentAt.IsZero() {
		consent = u.ConsentAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	business := t.None
	if u.Business != "" {
		business = "<i>" + html.EscapeString(truncate(u.Business, 300)) + "</i>"
	}
	account := t.None
	if acc, err := b.store.Account(u.ID); err == nil {
		account = maskPhone(acc.Phone)
		if acc.Username != "" {
			account += " · @" + html.EscapeString(acc.Username)
		}
	}
	text := fmt.Sprintf(t.MyDataF, u.ID, t.LangName, consent, business,
		t.Rules.N(u.Lang, s.Keywords), t.StopWords.N(u.Lang, s.StopWords),
		account, s.Chats, s.Messages, s.Leads)
	text += "\n\n" + fmt.Sprintf(t.RetentionF, t.Days.N(u.Lang, b.cfg.RetentionDays))
	return b.show(c, text, backToSettings(t))
}

func (b *Bot) cbEditBusiness(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Awaiting = awaitBusinessEdit
		return nil
	})
	if err != nil {
		return fmt.Errorf("await business: %w", err)
	}
	text := t.AskBusiness
	if u.Business != "" {
		text = fmt.Sprintf(t.BusinessNowF, html.EscapeString(u.Business))
	}
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(t.BtnCancel, encodeCB(actSettings))))
	return b.show(c, text, kb)
}

// export is the JSON document an owner receives from Export my data: every
// record we keep about them. The MTProto session is not included: it is a
// credential, not data about the owner, and it is deleted on disconnect.
type export struct {
	ExportedAt    time.Time           `json:"exported_at"`
	Profile       exportUser          `json:"profile"`
	Keywords      []exportRule        `json:"keywords"`
	StopWords     []exportRule        `json:"stop_words"`
	Account       *exportAccount      `json:"telegram_account"`
	Chats         []exportChat        `json:"monitored_chats"`
	AlertSettings store.AlertSettings `json:"alert_settings"`
	Leads         []exportLead        `json:"leads"`
	Messages      []exportMessage     `json:"messages"`
}

type exportAccount struct {
	ID          int64     `json:"id"`
	Phone       string    `json:"phone"`
	Username    string    `json:"username,omitempty"`
	FirstName   string    `json:"first_name,omitempty"`
	State       string    `json:"state"`
	ConnectedAt time.Time `json:"connected_at"`
}

type exportChat struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Type       string    `json:"type"`
	Username   string    `json:"username,omitempty"`
	SelectedAt time.Time `json:"selected_at"`
}

type exportMessage struct {
	ChatID         int64     `json:"chat_id"`
	ChatTitle      string    `json:"chat_title,omitempty"`
	MessageID      int64     `json:"message_id"`
	SenderID       int64     `json:"sender_id"`
	SenderUsername string    `json:"sender_username,omitempty"`
	SenderName     string    `json:"sender_name,omitempty"`
	Date           time.Time `json:"date"`
	Text           string    `json:"text"`
}

type exportLead struct {
	ID        uint64        `json:"id"`
	Message   exportMessage `json:"message"`
	Keywords  []string      `json:"keywords"`
	AlsoIn    []int64       `json:"also_in_chats,omitempty"`
	Status    string        `json:"status"`
	Relevance int           `json:"relevance"`
	CreatedAt time.Time     `json:"created_at"`
}

func exportMsg(m store.Message) exportMessage {
	return exportMessage{
		ChatID: m.ChatID, ChatTitle: m.ChatTitle, MessageID: m.MsgID, SenderID: m.SenderID,
		SenderUsername: m.SenderUsername, SenderName: m.SenderName, Date: m.Date, Text: m.Text,
	}
}

// gzipExportAbove is the size from which the export is sent gzipped.
const gzipExportAbove = 10 << 20

// maxExportMessages bounds the messages in one export (a Bot API document
// may be up to 50 MB); retention purges keep real stores well below it.
const maxExportMessages = 100_000

type exportUser struct {
	TelegramID int64     `json:"telegram_id"`
	Username   string    `json:"username,omitempty"`
	FirstName  string    `json:"first_name,omitempty"`
	Language   string    `json:"language"`
	ConsentAt  time.Time `json:"consent_at"`
	Business   string    `json:"business_description"`
	CreatedAt  time.Time `json:"created_at"`
}

type exportRule struct {
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

func (b *Bot) buildExport(u store.User) ([]byte, error) {
	e := export{
		ExportedAt: b.now().UTC(),
		Profile: exportUser{
			TelegramID: u.ID, Username: u.Username, FirstName: u.FirstName, Language: u.Lang,
			ConsentAt: u.ConsentAt, Business: u.Business, CreatedAt: u.CreatedAt,
		},
		Keywords:  []exportRule{},
		StopWords: []exportRule{},
	}
	for kind, dst := range map[store.RuleKind]*[]exportRule{store.Keyword: &e.Keywords, store.StopWord: &e.StopWords} {
		rules, err := b.store.Rules(u.ID, kind)
		if err != nil {
			return nil, fmt.Errorf("export rules: %w", err)
		}
		for _, r := range rules {
			*dst = append(*dst, exportRule{Text: r.Text, CreatedAt: r.CreatedAt})
		}
	}
	if acc, err := b.store.Account(u.ID); err == nil {
		e.Account = &exportAccount{ID: acc.ID, Phone: acc.Phone, Username: acc.Username, FirstName: acc.FirstName, State: acc.State, ConnectedAt: acc.ConnectedAt}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("export account: %w", err)
	}
	chats, err := b.store.SelectedChats(u.ID)
	if err != nil {
		return nil, fmt.Errorf("export chats: %w", err)
	}
	e.Chats = make([]exportChat, 0, len(chats))
	for _, c := range chats {
		e.Chats = append(e.Chats, exportChat{ID: store.BotAPIChatID(c.Type, c.ID), Title: c.Title, Type: c.Type, Username: c.Username, SelectedAt: c.SelectedAt})
	}
	if e.AlertSettings, err = b.store.AlertSettings(u.ID); err != nil {
		return nil, fmt.Errorf("export alert settings: %w", err)
	}
	leads, _, err := b.store.Leads(u.ID, "", 0, maxExportMessages)
	if err != nil {
		return nil, fmt.Errorf("export leads: %w", err)
	}
	e.Leads = make([]exportLead, 0, len(leads))
	for _, l := range leads {
		el := exportLead{ID: l.ID, Message: exportMsg(l.Message), Keywords: l.Keywords, Status: string(l.Status), Relevance: l.Relevance, CreatedAt: l.CreatedAt}
		for _, r := range l.AlsoIn {
			el.AlsoIn = append(el.AlsoIn, r.ChatID)
		}
		e.Leads = append(e.Leads, el)
	}
	msgs, err := b.store.RecentMessages(u.ID, maxExportMessages)
	if err != nil {
		return nil, fmt.Errorf("export messages: %w", err)
	}
	e.Messages = make([]exportMessage, 0, len(msgs))
	for _, m := range msgs {
		e.Messages = append(e.Messages, exportMsg(m))
	}
	return json.MarshalIndent(e, "", "  ")
}

func (b *Bot) cbExport(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	data, err := b.buildExport(u)
	if err != nil {
		return err
	}
	name, mime := fmt.Sprintf("leadgenrunner-export-%s.json", b.now().UTC().Format("2006-01-02")), "application/json"
	if len(data) > gzipExportAbove {
		// Bots may send documents up to 50 MB; JSON compresses about 10x.
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(data); err != nil {
			return fmt.Errorf("compress export: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("compress export: %w", err)
		}
		data, name, mime = buf.Bytes(), name+".gz", "application/gzip"
	}
	doc := &tele.Document{
		File:     tele.FromReader(bytes.NewReader(data)),
		FileName: name,
		MIME:     mime,
		Caption:  fmt.Sprintf(t.ExportCaptionF, b.now().UTC().Format("2006-01-02 15:04 UTC")),
	}
	if err := c.Send(doc); err != nil {
		return fmt.Errorf("send export: %w", err)
	}
	return b.showSettings(c, u)
}

func (b *Bot) cbDelete(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(t.BtnDeleteYes, encodeCB(actDeleteYes))),
		kb.Row(kb.Data(t.BtnCancel, encodeCB(actSettings))),
	)
	return b.show(c, t.DeleteConfirm, kb)
}

func (b *Bot) cbDeleteYes(c tele.Context, u store.User, _ cb) error {
	if b.cfg.Userbot != nil {
		// Log the session out at Telegram and stop collection before the
		// records go.
		b.cfg.Userbot.CancelLogin(u.ID)
		ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
		err := b.cfg.Userbot.Disconnect(ctx, u.ID)
		cancel()
		if err != nil && !errors.Is(err, ErrNotConnected) {
			return fmt.Errorf("disconnect before delete: %w", err)
		}
		b.dialogs.drop(u.ID)
		b.logins.drop(u.ID)
	}
	if err := b.store.DeleteUser(u.ID); err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	b.log.Info("owner deleted their data", "user_id", u.ID)
	return b.show(c, tr(u.Lang).Deleted, nil)
}
