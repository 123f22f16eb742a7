package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"sync"
	"time"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Callback actions of the Chats screen. actChats takes the page.
const (
	actChats      = "chats"
	actChatToggle = "chtg" // chat ID, page
	actChatSearch = "chsrch"
	actChatClear  = "chclr"
	actChatReload = "chrl"
)

const (
	chatsPerPage = 8
	dialogsTTL   = 10 * time.Minute
	chatLabelMax = 48
)

// dialogCache keeps each owner's chat list in memory while they page
// through it. Titles of chats the owner did not select are never stored.
type dialogCache struct {
	mu sync.Mutex
	m  map[int64]*dialogList
}

type dialogList struct {
	list  []Dialog
	at    time.Time
	query string
}

func (d *dialogCache) get(id int64) (*dialogList, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	l, ok := d.m[id]
	if !ok || time.Since(l.at) > dialogsTTL {
		return nil, false
	}
	return l, true
}

func (d *dialogCache) put(id int64, l *dialogList) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = make(map[int64]*dialogList)
	}
	d.m[id] = l
}

func (d *dialogCache) drop(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.m, id)
}

func (b *Bot) cbChats(c tele.Context, u store.User, d cb) error {
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	return b.showChats(c, u, int(d.arg(0)))
}

// loadDialogs returns the owner's chat list, fetching it from Telegram (with
// a progress message) when the cache is cold.
func (b *Bot) loadDialogs(c tele.Context, u store.User) (*dialogList, error) {
	if l, ok := b.dialogs.get(u.ID); ok {
		return l, nil
	}
	if c.Callback() != nil {
		if err := b.show(c, atr(u.Lang).ChatsLoading, nil); err != nil {
			return nil, err
		}
	} else if m, err := b.tb.Send(c.Recipient(), atr(u.Lang).ChatsLoading); err == nil {
		// From typed text (a search): the list comes as a new message, so
		// this one goes once the list is loaded.
		defer func() {
			if err := b.tb.Delete(m); err != nil {
				b.log.Warn("delete loading message", "user_id", u.ID, "err", err)
			}
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
	defer cancel()
	list, err := b.cfg.Userbot.Dialogs(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	l := &dialogList{list: list, at: time.Now()}
	b.dialogs.put(u.ID, l)
	return l, nil
}

func (b *Bot) showChats(c tele.Context, u store.User, page int) error {
	t, at := tr(u.Lang), atr(u.Lang)
	if b.cfg.Userbot == nil {
		return b.show(c, at.NotAvailable, backToMenu(t))
	}
	if acc, ok := b.cfg.Userbot.Account(u.ID); !ok || acc.State == StateNeedsLogin || acc.State == StateBanned {
		kb := &tele.ReplyMarkup{}
		kb.Inline(
			kb.Row(kb.Data(t.BtnAccount, encodeCB(actAccount))),
			kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
		)
		return b.show(c, at.ChatsNeedAccount, kb)
	}
	l, err := b.loadDialogs(c, u)
	if err != nil {
		return b.chatsFailed(c, u, err)
	}
	selected, err := b.cfg.Userbot.SelectedChats(u.ID)
	if err != nil {
		return fmt.Errorf("selected chats: %w", err)
	}
	isSel := make(map[int64]bool, len(selected))
	for _, s := range selected {
		isSel[s.ID] = true
	}
	shown := l.list
	if l.query != "" {
		shown = nil
		q := strings.ToLower(l.query)
		for _, d := range l.list {
			if strings.Contains(strings.ToLower(d.Title), q) || strings.Contains(strings.ToLower(d.Username), q) {
				shown = append(shown, d)
			}
		}
	}
	pages := max(1, (len(shown)+chatsPerPage-1)/chatsPerPage)
	page = min(max(page, 0), pages-1)
	from, to := page*chatsPerPage, min(len(shown), (page+1)*chatsPerPage)

	var sb strings.Builder
	fmt.Fprintf(&sb, at.ChatsF, len(selected), b.cfg.MaxChats)
	if l.query != "" {
		sb.WriteString("\n\n" + fmt.Sprintf(at.ChatsSearchF, html.EscapeString(l.query)))
	}
	if len(shown) == 0 {
		sb.WriteString("\n\n" + at.ChatsNone)
	} else if pages > 1 {
		sb.WriteString("\n\n" + fmt.Sprintf(t.PageF, page+1, pages))
	}

	kb := &tele.ReplyMarkup{}
	var rows []tele.Row
	for _, d := range shown[from:to] {
		mark := "▫️ "
		if isSel[d.ID] {
			mark = "✅ "
		}
		label := mark + truncate(d.Title, chatLabelMax) + " · " + at.ChatTypes[d.Type]
		if d.Members > 0 {
			label += " · " + compactCount(u.Lang, d.Members)
		}
		rows = append(rows, kb.Row(kb.Data(label, encodeCB(actChatToggle, d.ID, int64(page)))))
	}
	if pages > 1 {
		var nav []tele.Btn
		if page > 0 {
			nav = append(nav, kb.Data(t.BtnPrev, encodeCB(actChats, int64(page-1))))
		}
		if page < pages-1 {
			nav = append(nav, kb.Data(t.BtnNext, encodeCB(actChats, int64(page+1))))
		}
		rows = append(rows, kb.Row(nav...))
	}
	search := kb.Data(at.BtnSearch, encodeCB(actChatSearch))
	if l.query != "" {
		search = kb.Data(at.BtnClearSearch, encodeCB(actChatClear))
	}
	rows = append(rows,
		kb.Row(search, kb.Data(at.BtnReload, encodeCB(actChatReload))),
		kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
	)
	kb.Inline(rows...)
	return b.show(c, sb.String(), kb)
}

func (b *Bot) chatsFailed(c tele.Context, u store.User, err error) error {
	at := atr(u.Lang)
	var fw *FloodWaitError
	if errors.As(err, &fw) {
		return b.show(c, fmt.Sprintf(at.FloodWaitF, b.humanDuration(u.Lang, fw.Wait)), backToMenu(tr(u.Lang)))
	}
	if errors.Is(err, ErrNoLogin) || errors.Is(err, ErrNotConnected) || errors.Is(err, ErrBanned) {
		// The session ended meanwhile (revoked elsewhere, banned): the
		// owner has been told; point them to Account.
		return b.show(c, at.ChatsNeedAccount, backToAccount(u))
	}
	b.log.Warn("load dialogs", "user_id", u.ID, "err", err)
	return b.show(c, at.ChatsFailed, backToMenu(tr(u.Lang)))
}

// compactCount renders 950, 1.2k, 34k, 1.2M (in Russian 1,2 тыс., 34 тыс.,
// 1,2 млн).
func compactCount(lang string, n int) string {
	k, m := "k", "M"
	if lang == "ru" {
		k, m = " тыс.", " млн"
	}
	switch {
	case n < 1000:
		return strconv.Itoa(n)
	case n < 10_000:
		return decimal(lang, strings.TrimSuffix(strconv.FormatFloat(float64(n)/1000, 'f', 1, 64), ".0")) + k
	case n < 1_000_000:
		return strconv.Itoa(n/1000) + k
	default:
		return decimal(lang, strings.TrimSuffix(strconv.FormatFloat(float64(n)/1_000_000, 'f', 1, 64), ".0")) + m
	}
}

// cbChatToggle starts or stops monitoring a chat. The chat is looked up in
// the presser's own chat list; an ID that is not there does nothing.
func (b *Bot) cbChatToggle(c tele.Context, u store.User, d cb) error {
	at := atr(u.Lang)
	if b.cfg.Userbot == nil {
		return b.showAccount(c, u)
	}
	l, ok := b.dialogs.get(u.ID)
	var chat *Dialog
	if ok {
		for i := range l.list {
			if l.list[i].ID == d.arg(0) {
				chat = &l.list[i]
			}
		}
	}
	if chat == nil {
		setToast(c, at.ChatGone)
		return b.showChats(c, u, int(d.arg(1)))
	}
	selected, err := b.cfg.Userbot.SelectedChats(u.ID)
	if err != nil {
		return fmt.Errorf("selected chats: %w", err)
	}
	on := true
	for _, s := range selected {
		if s.ID == chat.ID {
			on = false
		}
	}
	if on && len(selected) >= b.cfg.MaxChats {
		setToast(c, fmt.Sprintf(at.ChatLimitF, b.cfg.MaxChats))
		return b.showChats(c, u, int(d.arg(1)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), loginStepLimit)
	defer cancel()
	if err := b.cfg.Userbot.SetSelected(ctx, u.ID, *chat, on); err != nil {
		return fmt.Errorf("select chat: %w", err)
	}
	if on {
		setToast(c, fmt.Sprintf(at.ChatOnF, truncate(chat.Title, 100)))
	} else {
		setToast(c, fmt.Sprintf(at.ChatOffF, truncate(chat.Title, 100)))
	}
	return b.showChats(c, u, int(d.arg(1)))
}

func (b *Bot) cbChatSearch(c tele.Context, u store.User, _ cb) error {
	if _, err := b.setAwaiting(u, awaitChatSearch); err != nil {
		return err
	}
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actChats, 0))))
	return b.show(c, atr(u.Lang).AskSearch, kb)
}

func (b *Bot) onChatSearchText(c tele.Context, u store.User) error {
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	q := truncate(strings.TrimSpace(c.Text()), 64)
	if l, ok := b.dialogs.get(u.ID); ok {
		b.dialogs.mu.Lock()
		l.query = q
		b.dialogs.mu.Unlock()
	} else if b.cfg.Userbot != nil {
		if l, err := b.loadDialogs(c, u); err == nil {
			l.query = q
		}
	}
	return b.showChats(c, u, 0)
}

func (b *Bot) cbChatClear(c tele.Context, u store.User, _ cb) error {
	if l, ok := b.dialogs.get(u.ID); ok {
		b.dialogs.mu.Lock()
		l.query = ""
		b.dialogs.mu.Unlock()
	}
	return b.showChats(c, u, 0)
}

func (b *Bot) cbChatReload(c tele.Context, u store.User, _ cb) error {
	b.dialogs.drop(u.ID)
	return b.showChats(c, u, 0)
}
