package bot

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// The Leads screen: the owner's leads, newest first, filtered by status,
// paginated; each opens a lead card with the alert's buttons.

// Callback actions. leads: filter, page. lead: lead ID, origin.
const (
	actLeads = "leads"
	actLead  = "lead"
)

// Filters of the list, as carried in callback data.
const (
	filterAll = iota
	filterNew
	filterContacted
	filterNotLead
	numFilters
)

const leadsPerPage = 5

func filterStatus(f int64) store.LeadStatus {
	switch f {
	case filterNew:
		return store.LeadNew
	case filterContacted:
		return store.LeadContacted
	case filterNotLead:
		return store.LeadNotLead
	}
	return ""
}

// leadOrigin encodes where a lead card was opened from, so its Back button
// returns to the same list page. 0 means a standalone message (an alert, or
// a card opened from a digest), which has no Back button.
func leadOrigin(filter, page int64) int64 { return 1 + filter*100000 + page }

func originList(origin int64) (filter, page int64) {
	if origin <= 0 {
		return filterAll, 0
	}
	origin--
	filter, page = origin/100000, origin%100000
	if filter < 0 || filter >= numFilters {
		filter = filterAll
	}
	return filter, page
}

func (b *Bot) cbLeads(c tele.Context, u store.User, d cb) error {
	filter, page := d.arg(0), d.arg(1)
	if filter < 0 || filter >= numFilters {
		filter = filterAll
	}
	return b.showLeads(c, u, filter, max(page, 0))
}

func (b *Bot) showLeads(c tele.Context, u store.User, filter, page int64) error {
	t := tr(u.Lang)
	settings, err := b.store.AlertSettings(u.ID)
	if err != nil {
		return fmt.Errorf("load alert settings: %w", err)
	}
	loc := location(settings.TZ)
	leads, total, err := b.store.Leads(u.ID, filterStatus(filter), int(page)*leadsPerPage, leadsPerPage)
	if err != nil {
		return fmt.Errorf("list leads: %w", err)
	}
	pages := max(1, (total+leadsPerPage-1)/leadsPerPage)
	if int(page) >= pages && total > 0 {
		page = int64(pages - 1)
		leads, total, err = b.store.Leads(u.ID, filterStatus(filter), int(page)*leadsPerPage, leadsPerPage)
		if err != nil {
			return fmt.Errorf("list leads: %w", err)
		}
	}

	filterNames := []string{t.FilterAll, t.FilterNew, t.FilterContacted, t.FilterNotLead}
	var sb strings.Builder
	fmt.Fprintf(&sb, t.LeadsTitleF, filterNames[filter], total)
	if total == 0 {
		sb.WriteString("\n\n")
		if filter == filterAll {
			sb.WriteString(t.LeadsEmpty)
		} else {
			sb.WriteString(t.LeadsEmptyFilter)
		}
	}
	kb := &tele.ReplyMarkup{}
	var rows []tele.Row
	origin := leadOrigin(filter, page)
	for i, l := range leads {
		n := int(page)*leadsPerPage + i + 1
		fmt.Fprintf(&sb, "\n\n<b>%d.</b> %s %s · %s · %s\n%s", n, statusIcon(l.Status),
			html.EscapeString(truncate(chatTitle(t, l.ChatTitle), 40)), senderHTML(t, l.Message),
			l.Date.In(loc).Format("2006-01-02 15:04"), highlightHTML(l.Text, nil, 120))
		label := strconv.Itoa(n) + ". " + truncate(strings.Join(strings.Fields(l.Text), " "), 40)
		rows = append(rows, kb.Row(kb.Data(label, encodeCB(actLead, int64(l.ID), origin))))
	}
	if pages > 1 {
		sb.WriteString("\n\n" + fmt.Sprintf(t.PageF, page+1, pages))
		var nav []tele.Btn
		if page > 0 {
			nav = append(nav, kb.Data(t.BtnPrev, encodeCB(actLeads, filter, page-1)))
		}
		if int(page) < pages-1 {
			nav = append(nav, kb.Data(t.BtnNext, encodeCB(actLeads, filter, page+1)))
		}
		rows = append(rows, kb.Row(nav...))
	}
	var frow []tele.Btn
	for f, name := range filterNames {
		if int64(f) == filter {
			name = "• " + name
		}
		frow = append(frow, kb.Data(name, encodeCB(actLeads, int64(f), 0)))
	}
	rows = append(rows, kb.Row(frow[:2]...), kb.Row(frow[2:]...), kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))))
	kb.Inline(rows...)
	return b.show(c, sb.String(), kb)
}

func statusIcon(s store.LeadStatus) string {
	switch s {
	case store.LeadContacted:
		return "✅"
	case store.LeadNotLead:
		return "🚫"
	}
	return "🆕"
}

// cbLead opens a lead card. From the list (origin > 0) it replaces the list
// in place; from a digest (origin 0) it comes as a new message, so the
// digest stays readable.
func (b *Bot) cbLead(c tele.Context, u store.User, d cb) error {
	l, ok, err := b.leadOf(c, u, d.arg(0))
	if !ok {
		return err
	}
	origin := max(d.arg(1), 0)
	if origin > 0 {
		return b.showLead(c, u, l, origin)
	}
	settings, err := b.store.AlertSettings(u.ID)
	if err != nil {
		return fmt.Errorf("load alert settings: %w", err)
	}
	return c.Send(renderLead(u.Lang, l, location(settings.TZ), alertTextRunes), leadKeyboard(tr(u.Lang), l, 0), tele.ModeHTML, tele.NoPreview)
}
