package bot

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	_ "time/tzdata" // owners' time zones must load on hosts without zoneinfo

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Settings → Alerts: instant or digest, quiet hours, time zone, minimum
// relevance, muted chats.

// Callback actions. alset: what (alertSet*), value. altz: page. unmute:
// chat ID.
const (
	actAlerts   = "alerts"
	actAlertSet = "alset"
	actTZ       = "altz"
	actUnmute   = "unmute"
)

// What an alset button sets.
const (
	alertSetMode      = iota // value: 0 instant, 15 or 60 digest minutes
	alertSetQuiet            // value: index into quietPresets
	alertSetRelevance        // value: one of relevanceChoices
	alertSetTZ               // value: index into tzChoices
)

// quietPresets are the quiet hours an owner can pick, in minutes after
// local midnight. The first is "off".
var quietPresets = [][2]int{{0, 0}, {22 * 60, 8 * 60}, {23 * 60, 9 * 60}, {0, 7 * 60}}

var relevanceChoices = []int{0, 50, 70}

// tzChoices are the time zones offered: common IANA zones of our owners,
// then whole-hour UTC offsets as Etc/GMT zones (whose sign is inverted:
// Etc/GMT-3 is UTC+3).
var tzChoices = func() []string {
	zones := []string{
		"UTC", "Europe/London", "Europe/Berlin", "Europe/Kyiv", "Europe/Minsk", "Europe/Moscow",
		"Europe/Istanbul", "Asia/Tbilisi", "Asia/Dubai", "Asia/Tashkent", "Asia/Almaty",
		"Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok", "America/New_York", "America/Los_Angeles",
	}
	for off := -10; off <= 12; off++ {
		if off == 0 {
			continue
		}
		zones = append(zones, fmt.Sprintf("Etc/GMT%+d", -off))
	}
	return zones
}()

// tzName shows a zone the way owners think of it: Etc/GMT-3 as UTC+3.
func tzName(tz string) string {
	if tz == "" {
		return "UTC"
	}
	if rest, ok := strings.CutPrefix(tz, "Etc/GMT"); ok && rest != "" {
		if n, err := strconv.Atoi(rest); err == nil {
			return fmt.Sprintf("UTC%+d", -n)
		}
	}
	return tz
}

func hhmm(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// maxUnmuteShown caps the Unmute buttons on the Alerts screen (Telegram
// takes at most 100 inline buttons); the text counts the muted chats left
// without one.
const maxUnmuteShown = 20

func (b *Bot) cbAlerts(c tele.Context, u store.User, _ cb) error {
	return b.showAlertSettings(c, u)
}

func (b *Bot) showAlertSettings(c tele.Context, u store.User) error {
	t := tr(u.Lang)
	s, err := b.store.AlertSettings(u.ID)
	if err != nil {
		return fmt.Errorf("load alert settings: %w", err)
	}
	mode := t.ModeInstant
	if s.Mode == store.AlertDigest {
		mode = fmt.Sprintf(t.ModeDigestF, s.DigestEvery)
	}
	quiet := t.QuietOff
	if s.HasQuietHours() {
		quiet = hhmm(s.QuietFrom) + "–" + hhmm(s.QuietTo)
	}
	now := b.now().In(location(s.TZ)).Format("15:04")
	text := fmt.Sprintf(t.AlertSettingsF, mode, quiet, html.EscapeString(tzName(s.TZ)), now, s.MinRelevance, len(s.MutedChats))

	kb := &tele.ReplyMarkup{}
	mark := func(on bool, label string) string {
		if on {
			return "• " + label
		}
		return label
	}
	digest := s.Mode == store.AlertDigest
	rows := []tele.Row{
		kb.Row(
			kb.Data(mark(!digest, t.BtnInstant), encodeCB(actAlertSet, alertSetMode, 0)),
			kb.Data(mark(digest && s.DigestEvery == 15, t.BtnDigest15), encodeCB(actAlertSet, alertSetMode, 15)),
			kb.Data(mark(digest && s.DigestEvery == 60, t.BtnDigest60), encodeCB(actAlertSet, alertSetMode, 60)),
		),
	}
	var qrow []tele.Btn
	for i, p := range quietPresets {
		label := t.BtnQuietOff
		if i > 0 {
			label = "🌙 " + hhmm(p[0]) + "–" + hhmm(p[1])
		}
		on := (i == 0 && !s.HasQuietHours()) || (i > 0 && s.QuietFrom == p[0] && s.QuietTo == p[1])
		qrow = append(qrow, kb.Data(mark(on, label), encodeCB(actAlertSet, alertSetQuiet, int64(i))))
	}
	rows = append(rows, kb.Row(qrow[:2]...), kb.Row(qrow[2:]...))
	rows = append(rows, kb.Row(kb.Data(fmt.Sprintf(t.BtnTimeZoneF, tzName(s.TZ)), encodeCB(actTZ, 0))))
	var rrow []tele.Btn
	for _, r := range relevanceChoices {
		rrow = append(rrow, kb.Data(mark(s.MinRelevance == r, fmt.Sprintf(t.BtnRelevanceF, r)), encodeCB(actAlertSet, alertSetRelevance, int64(r))))
	}
	rows = append(rows, kb.Row(rrow...))
	if len(s.MutedChats) > 0 {
		titles := b.chatTitles(u.ID)
		// The store keeps muted chats sorted by ID, not by when they were
		// muted: the first ones get buttons, and unmuting one brings the
		// next into view.
		shown := s.MutedChats[:min(len(s.MutedChats), maxUnmuteShown)]
		if hidden := len(s.MutedChats) - len(shown); hidden > 0 {
			text += fmt.Sprintf("\n\n🔕 … (+%d)", hidden)
		}
		for _, id := range shown {
			title, ok := titles[id]
			if !ok {
				title = t.UnnamedChat
			}
			rows = append(rows, kb.Row(kb.Data(fmt.Sprintf(t.BtnUnmuteF, truncate(title, 40)), encodeCB(actUnmute, id))))
		}
	}
	rows = append(rows, kb.Row(kb.Data(t.BtnBack, encodeCB(actSettings)), kb.Data(t.BtnMainMenu, encodeCB(actMenu))))
	kb.Inline(rows...)
	return b.show(c, text, kb)
}

// chatTitles maps the owner's chats to their titles, as analytics knows them.
func (b *Bot) chatTitles(uid int64) map[int64]string {
	out := make(map[int64]string)
	chats, _, _, err := b.store.Stats(uid, 1, b.now())
	if err != nil {
		b.log.Warn("chat titles", "user_id", uid, "err", err)
		return out
	}
	for _, c := range chats {
		out[c.ChatID] = c.Title
	}
	return out
}

func (b *Bot) cbAlertSet(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	v := d.arg(1)
	var set func(s *store.AlertSettings)
	switch d.arg(0) {
	case alertSetMode:
		switch v {
		case 0:
			set = func(s *store.AlertSettings) { s.Mode = store.AlertInstant }
		case 15, 60:
			set = func(s *store.AlertSettings) { s.Mode, s.DigestEvery = store.AlertDigest, int(v) }
		}
	case alertSetQuiet:
		if v >= 0 && v < int64(len(quietPresets)) {
			p := quietPresets[v]
			set = func(s *store.AlertSettings) { s.QuietFrom, s.QuietTo = p[0], p[1] }
		}
	case alertSetRelevance:
		if slices.Contains(relevanceChoices, int(v)) {
			set = func(s *store.AlertSettings) { s.MinRelevance = int(v) }
		}
	case alertSetTZ:
		if v >= 0 && v < int64(len(tzChoices)) {
			set = func(s *store.AlertSettings) { s.TZ = tzChoices[v] }
		}
	}
	if set == nil {
		setToast(c, t.Outdated)
		return b.showAlertSettings(c, u)
	}
	if _, err := b.store.UpdateAlertSettings(u.ID, func(s *store.AlertSettings) error {
		set(s)
		return nil
	}); err != nil {
		return fmt.Errorf("update alert settings: %w", err)
	}
	setToast(c, t.Saved)
	return b.showAlertSettings(c, u)
}

const tzPerPage = 16

// cbTZ lists time zones: common ones on the first page, UTC offsets after.
func (b *Bot) cbTZ(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	pages := (len(tzChoices) + tzPerPage - 1) / tzPerPage
	page := min(max(int(d.arg(0)), 0), pages-1)
	from, to := page*tzPerPage, min(len(tzChoices), (page+1)*tzPerPage)
	kb := &tele.ReplyMarkup{}
	var rows []tele.Row
	var row []tele.Btn
	for i := from; i < to; i++ {
		row = append(row, kb.Data(tzName(tzChoices[i]), encodeCB(actAlertSet, alertSetTZ, int64(i))))
		if len(row) == 2 {
			rows = append(rows, kb.Row(row...))
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, kb.Row(row...))
	}
	var nav []tele.Btn
	if page > 0 {
		nav = append(nav, kb.Data(t.BtnPrev, encodeCB(actTZ, int64(page-1))))
	}
	if page < pages-1 {
		nav = append(nav, kb.Data(t.BtnMoreZones, encodeCB(actTZ, int64(page+1))))
	}
	if len(nav) > 0 {
		rows = append(rows, kb.Row(nav...))
	}
	rows = append(rows, kb.Row(kb.Data(t.BtnBack, encodeCB(actAlerts))))
	kb.Inline(rows...)
	return b.show(c, t.PickTimeZone, kb)
}

func (b *Bot) cbUnmute(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	chatID := d.arg(0)
	found := false
	if _, err := b.store.UpdateAlertSettings(u.ID, func(s *store.AlertSettings) error {
		i := slices.Index(s.MutedChats, chatID)
		if i >= 0 {
			found = true
			s.MutedChats = slices.Delete(s.MutedChats, i, i+1)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("unmute chat: %w", err)
	}
	if found {
		setToast(c, t.Unmuted)
	} else {
		setToast(c, t.Outdated)
	}
	return b.showAlertSettings(c, u)
}
