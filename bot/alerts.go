package bot

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// Lead alerts: rendering, and the sender that drains the persistent outbox.
//
// Delivery is exactly once as far as Telegram lets us: an outbox entry is
// deleted (store.MarkAlertSent) right after Telegram accepted the message
// that carries it, and only then. An entry whose send failed stays in the
// outbox with a later Due (store.DeferAlert) and is sent again. The one
// window for a duplicate is between Telegram's "ok" and the MarkAlertSent
// commit: if the process dies there (or the commit fails), the entry is sent
// again after the restart. The window is one bbolt commit long because each
// message is marked on its own, immediately after its send, never in a batch
// at the end of a round. A request that times out is the mirror case: Telegram
// may have delivered it, we cannot know, and we send again rather than risk
// losing the alert.

// Callback actions of lead alerts and lead cards. Arguments: lead ID, then
// for leadst the new status code, and the origin (see leadOrigin).
const (
	actLeadStatus = "leadst"
	actDraft      = "draft"
	actMute       = "mute"
)

// Status codes carried in callback data.
const (
	stNew = iota
	stContacted
	stNotLead
)

var statusByCode = map[int64]store.LeadStatus{stNew: store.LeadNew, stContacted: store.LeadContacted, stNotLead: store.LeadNotLead}

func statusCode(s store.LeadStatus) int64 {
	for c, st := range statusByCode {
		if st == s {
			return c
		}
	}
	return stNew
}

const (
	// alertTextRunes bounds the message text quoted in an alert. Telegram
	// counts UTF-16 units, so an emoji-only text takes two per rune: 1400
	// runes are at most 2800 units, and with the capped header (title,
	// keywords, cross-posts, links) an alert stays under 4096 whatever the
	// text. The link leads to the whole message.
	alertTextRunes = 1400
	// maxKeywordsShown and maxAlsoInShown cap those lists in an alert.
	maxKeywordsShown = 10
	maxAlsoInShown   = 5
	// digestTextRunes bounds each lead's text in a digest.
	digestTextRunes = 220
	// maxDigestItems is the most leads one digest message lists.
	maxDigestItems = 10
	// batchAfter is how many due alerts of one owner turn into one list
	// message even in instant mode (a night of quiet hours, a backlog).
	batchAfter = 3
	// dueWindow is how many due outbox entries one dispatch round reads.
	dueWindow = 1000
	// maxIdle bounds how long the sender sleeps without checking the
	// outbox, whatever the clock says.
	maxIdle = time.Minute
	// maxBadRequest is how many 4xx answers (other than 429 and 403) an
	// alert gets before it is dropped: the text will not get any better.
	maxBadRequest = 3
)

// WakeSender tells the alert sender to look at the outbox now. The lead
// pipeline calls it after a commit that enqueued alerts. It never blocks.
func (b *Bot) WakeSender() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// alertJob is one Bot API message: one lead, or a list of an owner's leads.
type alertJob struct {
	owner   int64
	entries []store.OutboxEntry
	list    bool
}

// runSender drains the outbox until ctx is done: it dispatches due entries
// to workers, at most one message in flight per owner, an owner's next
// message no sooner than AlertChatEvery after the last, and all messages
// together at AlertRate per second. It wakes on WakeSender, when a worker
// finishes, and at the next Due in the outbox.
func (b *Bot) runSender(ctx context.Context) {
	jobs := make(chan alertJob)
	done := make(chan alertJob, b.cfg.AlertWorkers)
	var wg sync.WaitGroup
	for range b.cfg.AlertWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				b.deliver(ctx, j)
				done <- j
			}
		}()
	}
	defer func() {
		close(jobs)
		wg.Wait()
	}()

	busy := make(map[int64]bool)       // owners with a message in flight
	ready := make(map[int64]time.Time) // owner -> wall time the next message may go
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		wait := b.dispatch(ctx, jobs, busy, ready)
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-b.wake:
		case <-timer.C:
		case j := <-done:
			delete(busy, j.owner)
			ready[j.owner] = time.Now().Add(b.cfg.AlertChatEvery)
		}
		// Drain other finished jobs without blocking, so one round sees them all.
		for more := true; more; {
			select {
			case j := <-done:
				delete(busy, j.owner)
				ready[j.owner] = time.Now().Add(b.cfg.AlertChatEvery)
			default:
				more = false
			}
		}
		if len(ready) > 10000 {
			now := time.Now()
			for id, t := range ready {
				if t.Before(now) {
					delete(ready, id)
				}
			}
		}
	}
}

// dispatch hands every due, sendable job to a free worker and returns how
// long to sleep before looking again.
func (b *Bot) dispatch(ctx context.Context, jobs chan<- alertJob, busy map[int64]bool, ready map[int64]time.Time) time.Duration {
	now := b.now()
	wait := maxIdle
	due, err := b.store.DueAlerts(now, dueWindow)
	if err != nil {
		b.log.Error("read due alerts", "err", err)
		return time.Second
	}
	var owners []int64
	byOwner := make(map[int64][]store.OutboxEntry)
	for _, e := range due {
		if _, ok := byOwner[e.OwnerID]; !ok {
			owners = append(owners, e.OwnerID)
		}
		byOwner[e.OwnerID] = append(byOwner[e.OwnerID], e)
	}
	wall := time.Now()
	for _, owner := range owners {
		if busy[owner] {
			continue // its worker's completion wakes us
		}
		if r, ok := ready[owner]; ok && r.After(wall) {
			wait = min(wait, r.Sub(wall))
			continue
		}
		if len(busy) >= b.cfg.AlertWorkers {
			return wait // every worker is busy; a completion wakes us
		}
		// A worker is free (or about to take its next job: its completion
		// has been counted), so this send does not wait long. A
		// non-blocking send would fail whenever no worker is parked on the
		// channel at this instant, just after start for one, and leave due
		// alerts until maxIdle.
		j := makeJob(owner, byOwner[owner])
		select {
		case jobs <- j:
			busy[owner] = true
		case <-ctx.Done():
			return wait
		}
	}
	if next, ok, err := b.store.NextAlertDue(); err == nil && ok && next.After(now) {
		wait = min(wait, next.Sub(now))
	}
	return max(wait, time.Millisecond)
}

// makeJob picks the next message for an owner from their due entries (in
// Due order): their digest entries together, several instant ones together
// as a list, or the single oldest instant one.
func makeJob(owner int64, entries []store.OutboxEntry) alertJob {
	if entries[0].Digest || len(entries) >= batchAfter {
		var list []store.OutboxEntry
		for _, e := range entries {
			if e.Digest == entries[0].Digest || len(entries) >= batchAfter {
				list = append(list, e)
			}
			if len(list) == maxDigestItems {
				break
			}
		}
		if len(list) > 1 || entries[0].Digest {
			return alertJob{owner: owner, entries: list, list: true}
		}
	}
	return alertJob{owner: owner, entries: entries[:1]}
}

// deliver sends one job and records the outcome in the outbox.
func (b *Bot) deliver(ctx context.Context, j alertJob) {
	log := b.log.With("user_id", j.owner)
	ids := func(es []store.OutboxEntry) []uint64 {
		out := make([]uint64, len(es))
		for i, e := range es {
			out[i] = e.ID
		}
		return out
	}
	u, err := b.store.User(j.owner)
	if errors.Is(err, store.ErrNotFound) {
		b.markSent(log, ids(j.entries), "owner gone")
		return
	}
	if err != nil {
		log.Error("load owner for alert", "err", err)
		b.deferAll(log, j.entries, b.backoff(j.entries[0].Attempts))
		return
	}
	settings, err := b.store.AlertSettings(j.owner)
	if err != nil {
		log.Error("load alert settings", "err", err)
		b.deferAll(log, j.entries, b.backoff(j.entries[0].Attempts))
		return
	}
	var send []store.OutboxEntry
	var leads []store.Lead
	var skip []uint64
	for _, e := range j.entries {
		l, err := b.store.Lead(j.owner, e.LeadID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			skip = append(skip, e.ID)
		case err != nil:
			log.Error("load lead for alert", "lead_id", e.LeadID, "err", err)
		case !alertWanted(l, settings):
			skip = append(skip, e.ID)
		default:
			send = append(send, e)
			leads = append(leads, l)
		}
	}
	if len(skip) > 0 {
		b.markSent(log, skip, "not alerted")
	}
	if len(send) == 0 {
		return
	}
	t := tr(u.Lang)
	loc := location(settings.TZ)
	var text string
	var kb *tele.ReplyMarkup
	if j.list {
		var n int
		text, kb, n = renderList(u.Lang, leads, loc, slices.ContainsFunc(send, func(e store.OutboxEntry) bool { return e.Digest }))
		if n < len(send) {
			// The rest did not fit in one message: their entries are left
			// alone, still due, and go in the owner's next message.
			log.Info("alert list split to fit Telegram's limit", "included", n, "left", len(send)-n)
			send = send[:n]
		}
	} else {
		text = renderLead(u.Lang, leads[0], loc, alertTextRunes)
		kb = leadKeyboard(t, leads[0], 0)
	}

	if err := b.global.wait(ctx); err != nil {
		return // shutting down; the entries stay due
	}
	_, err = b.tb.Send(tele.ChatID(j.owner), text, &tele.SendOptions{
		ParseMode: tele.ModeHTML, DisableWebPagePreview: true, ReplyMarkup: kb,
	})
	if err == nil {
		// Mark at once: this commit is the whole duplicate window.
		b.markSent(log, ids(send), "sent")
		return
	}

	var flood tele.FloodError
	var apiErr *tele.Error
	switch {
	case errors.As(err, &flood):
		d := time.Duration(max(flood.RetryAfter, 1)) * time.Second
		log.Warn("alert rate limited by Telegram", "retry_after_s", flood.RetryAfter)
		b.global.pause(d)
		b.deferAll(log, send, d)
	case errors.As(err, &apiErr) && apiErr.Code == http.StatusForbidden:
		// The owner blocked the bot or deleted their account: nobody to tell.
		log.Info("owner cannot receive alerts", "err", err)
		b.markSent(log, ids(send), "undeliverable")
	case errors.As(err, &apiErr) && apiErr.Code >= 400 && apiErr.Code < 500 && send[0].Attempts+1 >= maxBadRequest:
		log.Error("alert rejected by Telegram, dropped", "err", err, "attempts", send[0].Attempts+1)
		b.markSent(log, ids(send), "rejected")
	default: // 5xx, other 4xx, network
		log.Warn("send alert", "err", err, "attempts", send[0].Attempts+1)
		b.deferAll(log, send, b.backoff(send[0].Attempts))
	}
}

// alertWanted reports whether a due lead should still be alerted: not
// handled already, not from a muted chat, and, once rated, relevant enough.
func alertWanted(l store.Lead, s store.AlertSettings) bool {
	if l.Status != store.LeadNew || s.Muted(l.ChatID) {
		return false
	}
	return l.Relevance < 0 || l.Relevance >= s.MinRelevance
}

func (b *Bot) markSent(log interface {
	Error(string, ...any)
}, ids []uint64, why string) {
	var err error
	for try := 0; try < 3; try++ {
		if err = b.store.MarkAlertSent(ids, b.now()); err == nil {
			return
		}
	}
	log.Error("mark alerts sent: they may be sent again", "why", why, "entries", len(ids), "err", err)
}

func (b *Bot) deferAll(log interface {
	Error(string, ...any)
}, entries []store.OutboxEntry, d time.Duration) {
	until := b.now().Add(d)
	for _, e := range entries {
		if err := b.store.DeferAlert(e.ID, until); err != nil {
			log.Error("defer alert", "entry_id", e.ID, "err", err)
		}
	}
}

// backoff is the wait before retry number attempts+1: AlertRetryBase
// doubling per attempt, at most 10 minutes, with up to 20% jitter.
func (b *Bot) backoff(attempts int) time.Duration {
	d := b.cfg.AlertRetryBase << min(attempts, 16)
	d = min(d, 10*time.Minute)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// globalLimiter spaces all alert sends at most rate per second, with a
// small burst, in wall-clock time. pause holds everything back after a 429.
type globalLimiter struct {
	mu     sync.Mutex
	every  time.Duration
	burst  time.Duration
	next   time.Time // when the next send may go
	paused time.Time
}

func newGlobalLimiter(perSecond float64, burst int) *globalLimiter {
	every := time.Duration(float64(time.Second) / perSecond)
	return &globalLimiter{every: every, burst: every * time.Duration(max(burst, 1)-1)}
}

// wait blocks until a send may go, or ctx is done.
func (g *globalLimiter) wait(ctx context.Context) error {
	g.mu.Lock()
	now := time.Now()
	at := latest(g.next, now.Add(-g.burst), g.paused)
	g.next = at.Add(g.every)
	g.mu.Unlock()
	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *globalLimiter) pause(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.paused = latest(g.paused, time.Now().Add(d))
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}

// Rendering.

// location loads an owner's time zone, UTC when unknown.
func location(tz string) *time.Location {
	if tz == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC
	}
	return loc
}

// renderLead renders a lead in full: the alert, and the body of a lead card.
// Every string that came from Telegram users is escaped.
func renderLead(lang string, l store.Lead, loc *time.Location, maxRunes int) string {
	t := tr(lang)
	var sb strings.Builder
	fmt.Fprintf(&sb, t.AlertHeadF, html.EscapeString(truncate(chatTitle(t, l.ChatTitle), 64)))
	sb.WriteString("\n👤 ")
	sb.WriteString(senderHTML(t, l.Message))
	sb.WriteString(" · 🕒 ")
	sb.WriteString(formatStamp(l.Date.In(loc)))
	sb.WriteString("\n\n")
	sb.WriteString(highlightHTML(l.Text, spansFor(l), maxRunes))
	sb.WriteString("\n\n🔑 ")
	sb.WriteString(codeList(l.Keywords))
	if len(l.AlsoIn) > 0 {
		var titles []string
		for _, r := range l.AlsoIn[:min(len(l.AlsoIn), maxAlsoInShown)] {
			title := html.EscapeString(truncate(chatTitle(t, r.ChatTitle), 40))
			if link := messageLink(r.ChatID, r.ChatUsername, r.MsgID); link != "" {
				title = `<a href="` + link + `">` + title + `</a>`
			}
			titles = append(titles, title)
		}
		sb.WriteString("\n🔁 ")
		sb.WriteString(t.AlsoIn.N(lang, len(l.AlsoIn), strings.Join(titles, ", ")))
	}
	if link := messageLink(l.ChatID, l.ChatUsername, l.MsgID); link != "" {
		sb.WriteString("\n🔗 <a href=\"" + link + "\">" + t.OpenMessage + "</a>")
	} else {
		sb.WriteString("\n🔗 " + t.NoLink)
	}
	if l.Relevance >= 0 {
		sb.WriteString("\n" + fmt.Sprintf(t.RelevanceF, l.Relevance))
	}
	if l.Status != store.LeadNew && l.Status != "" {
		sb.WriteString("\n\n" + fmt.Sprintf(t.StatusF, statusName(t, l.Status)))
	}
	return sb.String()
}

// renderList renders the first n of leads as one message (a digest, or
// alerts that piled up during quiet hours), with one button per lead: as
// many as fit Telegram's length limit, and always at least one. The leads
// after the first n are not in the message: their outbox entries must stay
// due, for the next message.
func renderList(lang string, leads []store.Lead, loc *time.Location, digest bool) (text string, kb *tele.ReplyMarkup, n int) {
	t := tr(lang)
	head := t.ListHead
	if digest {
		head = t.DigestHead
	}
	items := make([]string, len(leads))
	for i, l := range leads {
		var sb strings.Builder
		fmt.Fprintf(&sb, "\n\n<b>%d.</b> %s · %s · %s\n", i+1,
			html.EscapeString(truncate(chatTitle(t, l.ChatTitle), 40)), senderHTML(t, l.Message), l.Date.In(loc).Format("15:04"))
		sb.WriteString(highlightHTML(l.Text, spansFor(l), digestTextRunes))
		if n := len(l.AlsoIn); n > 0 {
			sb.WriteString("\n🔁 " + t.AlsoInShort.N(lang, n))
		}
		if link := messageLink(l.ChatID, l.ChatUsername, l.MsgID); link != "" {
			sb.WriteString("\n🔗 <a href=\"" + link + "\">" + t.OpenMessage + "</a>")
		}
		items[i] = sb.String()
	}
	render := func(n int) string {
		var sb strings.Builder
		fmt.Fprintf(&sb, head, t.NewLeads.N(lang, n))
		for _, it := range items[:n] {
			sb.WriteString(it)
		}
		sb.WriteString("\n\n" + t.ListHint)
		return sb.String()
	}
	// Add leads while they fit, in order; the header is measured with the
	// largest count, and the whole text once more at the end.
	used := tgLen(render(0)) + tgLen(fmt.Sprint(len(leads)))
	for n < len(leads) {
		if l := tgLen(items[n]); n == 0 || used+l <= tgTextBudget {
			used += l
			n++
			continue
		}
		break
	}
	text = render(n)
	for n > 1 && tgLen(text) > tgTextBudget {
		n--
		text = render(n)
	}

	kb = &tele.ReplyMarkup{}
	var rows []tele.Row
	var row []tele.Btn
	for i, l := range leads[:n] {
		row = append(row, kb.Data(strconv.Itoa(i+1)+" ▸", encodeCB(actLead, int64(l.ID), 0)))
		if len(row) == 5 {
			rows = append(rows, kb.Row(row...))
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, kb.Row(row...))
	}
	kb.Inline(rows...)
	return text, kb, n
}

// tgTextBudget is what messages built piece by piece aim at: Telegram
// takes at most 4096 UTF-16 units of text after parsing, and this leaves a
// margin.
const tgTextBudget = 4000

// tgLen is the length Telegram checks against its 4096 limit for an HTML text:
// UTF-16 units after tags are removed and entities decoded. Every "<" of
// user text is escaped, so each "<" starts a tag.
func tgLen(s string) int {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case in:
			in = r != '>'
		case r == '<':
			in = true
		default:
			sb.WriteRune(r)
		}
	}
	n := 0
	for _, r := range html.UnescapeString(sb.String()) {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// leadKeyboard is the keyboard of an alert (origin 0) or of a lead card
// opened from the Leads list (origin from leadOrigin).
func leadKeyboard(t *texts, l store.Lead, origin int64) *tele.ReplyMarkup {
	id := int64(l.ID)
	kb := &tele.ReplyMarkup{}
	var status []tele.Btn
	if l.Status != store.LeadContacted {
		status = append(status, kb.Data(t.BtnContacted, encodeCB(actLeadStatus, id, stContacted, origin)))
	}
	if l.Status != store.LeadNotLead {
		status = append(status, kb.Data(t.BtnNotLead, encodeCB(actLeadStatus, id, stNotLead, origin)))
	}
	if l.Status != store.LeadNew {
		status = append(status, kb.Data(t.BtnMarkNew, encodeCB(actLeadStatus, id, stNew, origin)))
	}
	rows := []tele.Row{
		kb.Row(kb.Data(t.BtnDraft, encodeCB(actDraft, id))),
		kb.Row(status...),
		kb.Row(kb.Data(t.BtnMute, encodeCB(actMute, id, origin))),
	}
	if origin > 0 {
		filter, page := originList(origin)
		rows = append(rows, kb.Row(kb.Data(t.BtnBackToLeads, encodeCB(actLeads, filter, page)), kb.Data(t.BtnMainMenu, encodeCB(actMenu))))
	}
	kb.Inline(rows...)
	return kb
}

func statusName(t *texts, s store.LeadStatus) string {
	switch s {
	case store.LeadContacted:
		return t.StatusContacted
	case store.LeadNotLead:
		return t.StatusNotLead
	}
	return t.StatusNew
}

func chatTitle(t *texts, title string) string {
	if strings.TrimSpace(title) == "" {
		return t.UnnamedChat
	}
	return title
}

// senderHTML is the sender's name, with their @username as a link when they
// have one.
func senderHTML(t *texts, m store.Message) string {
	name := strings.TrimSpace(m.SenderName)
	if name == "" {
		name = t.UnknownSender
	}
	s := html.EscapeString(truncate(name, 60))
	if u := m.SenderUsername; validUsername(u) {
		s += ` (<a href="https://t.me/` + u + `">@` + u + `</a>)`
	}
	return s
}

// validUsername reports whether u can be a Telegram username, so it is safe
// to put in a link unescaped.
func validUsername(u string) bool {
	if len(u) < 4 || len(u) > 32 {
		return false
	}
	for _, r := range u {
		if r != '_' && (r > unicode.MaxASCII || (!unicode.IsLetter(r) && !unicode.IsDigit(r))) {
			return false
		}
	}
	return true
}

// messageLink is the t.me link of a message: t.me/<username>/<id> for
// public chats, t.me/c/<internal id>/<id> for private supergroups and
// channels. chatID may be in Bot API form (-100<internal id>) or the bare
// MTProto channel ID. Basic groups have no message links: "".
func messageLink(chatID int64, username string, msgID int64) string {
	if msgID <= 0 {
		return ""
	}
	if validUsername(username) {
		return "https://t.me/" + username + "/" + strconv.FormatInt(msgID, 10)
	}
	const channelBase = -1000000000000
	var internal int64
	switch {
	case chatID < channelBase:
		internal = channelBase - chatID
	case chatID > 0:
		internal = chatID
	default:
		return ""
	}
	return "https://t.me/c/" + strconv.FormatInt(internal, 10) + "/" + strconv.FormatInt(msgID, 10)
}

func codeList(items []string) string { return codeListN(items, maxKeywordsShown, 40) }

// codeListN lists at most maxItems items, each cut to maxRunes runes, and
// says how many more there are.
func codeListN(items []string, maxItems, maxRunes int) string {
	q := make([]string, 0, min(len(items), maxItems)+1)
	for _, s := range items[:min(len(items), maxItems)] {
		q = append(q, "<code>"+html.EscapeString(truncate(s, maxRunes))+"</code>")
	}
	if len(items) > maxItems {
		q = append(q, fmt.Sprintf("+%d", len(items)-maxItems))
	}
	return strings.Join(q, ", ")
}

// spansFor returns the byte spans of the words in the lead's text that made
// its rules fire. The matcher is compiled from the rules that fired, so the
// highlight shows exactly why this is a lead even if the owner has edited
// their rules since.
func spansFor(l store.Lead) [][2]int {
	if len(l.Keywords) == 0 {
		return nil
	}
	m, err := monitor.Compile(l.Keywords, nil)
	if err != nil {
		return nil
	}
	return m.Spans(l.Text)
}

// highlightHTML escapes text, wraps the spans in <b>, and cuts it to at most
// maxRunes runes at a word boundary, marking the cut with an ellipsis.
func highlightHTML(text string, spans [][2]int, maxRunes int) string {
	end := cutPoint(text, maxRunes)
	var sb strings.Builder
	pos := 0
	for _, sp := range spans {
		if sp[0] < pos || sp[0] >= end || sp[1] > len(text) || sp[0] >= sp[1] {
			continue
		}
		sb.WriteString(html.EscapeString(text[pos:sp[0]]))
		sb.WriteString("<b>")
		sb.WriteString(html.EscapeString(text[sp[0]:min(sp[1], end)]))
		sb.WriteString("</b>")
		pos = min(sp[1], end)
	}
	sb.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		sb.WriteString("…")
	}
	return strings.TrimSpace(sb.String())
}

// cutPoint returns the byte length of the longest prefix of text of at
// most maxRunes runes that ends at a word boundary, unless that boundary is
// in the first half, when the cut goes inside a (very long) word.
func cutPoint(text string, maxRunes int) int {
	if utf8.RuneCountInString(text) <= maxRunes {
		return len(text)
	}
	hard, n := 0, 0
	for i := range text {
		if n == maxRunes-1 { // leave room for the ellipsis
			hard = i
			break
		}
		n++
	}
	cut := strings.LastIndexFunc(text[:hard], unicode.IsSpace)
	if cut < hard/2 {
		return hard
	}
	return cut
}

// Callbacks.

// leadOf loads a lead of the presser. A forged or stale ID gets a toast and
// false: nothing of anyone else's is ever loaded, because the lookup starts
// from the presser's own ID.
func (b *Bot) leadOf(c tele.Context, u store.User, id int64) (store.Lead, bool, error) {
	if id <= 0 {
		setToast(c, tr(u.Lang).LeadNotFound)
		return store.Lead{}, false, nil
	}
	l, err := b.store.Lead(u.ID, uint64(id))
	if errors.Is(err, store.ErrNotFound) {
		setToast(c, tr(u.Lang).LeadNotFound)
		return store.Lead{}, false, nil
	}
	if err != nil {
		return store.Lead{}, false, fmt.Errorf("load lead: %w", err)
	}
	return l, true, nil
}

func (b *Bot) cbLeadStatus(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	if _, ok, err := b.leadOf(c, u, d.arg(0)); !ok {
		return err
	}
	st, ok := statusByCode[d.arg(1)]
	if !ok {
		setToast(c, t.Outdated)
		return nil
	}
	l, err := b.store.SetLeadStatus(u.ID, uint64(d.arg(0)), st)
	if errors.Is(err, store.ErrNotFound) {
		setToast(c, t.LeadNotFound)
		return nil
	}
	if err != nil {
		return fmt.Errorf("set lead status: %w", err)
	}
	setToast(c, fmt.Sprintf(t.StatusSetF, statusName(t, st)))
	return b.showLead(c, u, l, d.arg(2))
}

// showLead re-renders a lead in the message the button was on.
func (b *Bot) showLead(c tele.Context, u store.User, l store.Lead, origin int64) error {
	t := tr(u.Lang)
	settings, err := b.store.AlertSettings(u.ID)
	if err != nil {
		return fmt.Errorf("load alert settings: %w", err)
	}
	return b.show(c, renderLead(u.Lang, l, location(settings.TZ), alertTextRunes), leadKeyboard(t, l, origin))
}

func (b *Bot) cbDraft(c tele.Context, u store.User, d cb) error {
	if _, ok, err := b.leadOf(c, u, d.arg(0)); !ok {
		return err
	}
	// The AI issue replaces this with a real draft. Until then, say so.
	c.Set(toastAlertKey, true)
	setToast(c, tr(u.Lang).DraftSoon)
	return nil
}

func (b *Bot) cbMute(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	l, ok, err := b.leadOf(c, u, d.arg(0))
	if !ok {
		return err
	}
	if _, err := b.store.UpdateAlertSettings(u.ID, func(s *store.AlertSettings) error {
		if !slices.Contains(s.MutedChats, l.ChatID) {
			s.MutedChats = append(s.MutedChats, l.ChatID)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("mute chat: %w", err)
	}
	c.Set(toastAlertKey, true)
	setToast(c, fmt.Sprintf(t.MutedF, truncate(chatTitle(t, l.ChatTitle), 60)))
	return nil
}

// formatStamp is a date and time with its UTC offset ("2026-12-04 15:04
// UTC+3"), which reads the same in every language, unlike zone
// abbreviations.
func formatStamp(t time.Time) string {
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	zone := "UTC"
	if off != 0 {
		zone += sign + strconv.Itoa(off/3600)
		if mins := off % 3600 / 60; mins != 0 {
			zone += fmt.Sprintf(":%02d", mins)
		}
	}
	return t.Format("2006-01-02 15:04") + " " + zone
}
