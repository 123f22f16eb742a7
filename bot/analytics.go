package bot

import (
	"bytes"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// Analytics: per chat, per keyword rule and per day for the last 30 days,
// as short monospace tables, and a PNG chart of leads and messages per day.

const (
	actStats = "stats"
	actChart = "chart"
)

const (
	statsDays  = 30
	statsChats = 10 // busiest chats shown
	statsRules = 15 // rules with most hits shown
)

func (b *Bot) cbStats(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	chats, rules, days, err := b.store.Stats(u.ID, statsDays, b.now())
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	settings, err := b.store.AlertSettings(u.ID)
	if err != nil {
		return fmt.Errorf("load alert settings: %w", err)
	}
	kb := &tele.ReplyMarkup{}
	kb.Inline(
		kb.Row(kb.Data(t.BtnChart, encodeCB(actChart))),
		kb.Row(kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
	)
	return b.show(c, statsText(t, chats, rules, days, location(settings.TZ)), kb)
}

// statsText renders the three tables. Column widths count runes, which is
// what a monospace <pre> block lines up.
func statsText(t *texts, chats []store.ChatStats, rules []store.RuleStats, days []store.DayStats, loc *time.Location) string {
	var sb strings.Builder
	sb.WriteString(t.StatsTitle)
	totalMsgs, totalLeads := 0, 0
	for _, d := range days {
		totalMsgs += d.Messages
		totalLeads += d.Leads
	}
	sb.WriteString("\n" + fmt.Sprintf(t.StatsTotalsF, totalMsgs, totalLeads, percent(t.lang(), totalLeads, totalMsgs)))

	sb.WriteString("\n\n<b>" + t.StatsChats + "</b>\n")
	if len(chats) == 0 {
		sb.WriteString(t.StatsNoChats)
	} else {
		sort.SliceStable(chats, func(i, j int) bool { return chats[i].Messages > chats[j].Messages })
		var rows [][]string
		for _, c := range chats[:min(len(chats), statsChats)] {
			last := "—"
			if !c.LastMessage.IsZero() {
				last = c.LastMessage.In(loc).Format("02.01")
			}
			rows = append(rows, []string{chatTitle(t, c.Title), strconv.Itoa(c.Messages), strconv.Itoa(c.Leads), percent(t.lang(), c.Leads, c.Messages), last})
		}
		sb.WriteString(table([]string{t.ColChat, t.ColMessages, t.ColLeads, t.ColRate, t.ColLast}, []int{13, 6, 5, 5, 5}, rows))
	}

	sb.WriteString("\n<b>" + t.StatsRules + "</b>\n")
	if len(rules) == 0 {
		sb.WriteString(t.StatsNoRules)
	} else {
		sort.SliceStable(rules, func(i, j int) bool { return rules[i].Hits > rules[j].Hits })
		var rows [][]string
		for _, r := range rules[:min(len(rules), statsRules)] {
			rows = append(rows, []string{r.Rule, strconv.Itoa(r.Hits), strconv.Itoa(r.Leads), percent(t.lang(), r.NotLead, r.Leads), strconv.Itoa(r.Contacted)})
		}
		sb.WriteString(table([]string{t.ColRule, t.ColHits, t.ColLeads, t.ColNotLead, t.ColContacted}, []int{13, 5, 5, 6, 5}, rows))
	}

	sb.WriteString("\n<b>" + t.StatsDays + "</b>\n")
	// Two columns of days side by side keep 30 days short.
	half := (len(days) + 1) / 2
	var rows [][]string
	for i := 0; i < half; i++ {
		row := dayCells(days[i])
		if j := i + half; j < len(days) {
			row = append(row, "│")
			row = append(row, dayCells(days[j])...)
		}
		rows = append(rows, row)
	}
	head := []string{t.ColDay, t.ColMessages, t.ColLeads}
	sb.WriteString(table(append(append(head, "│"), head...), []int{5, 6, 5, 1, 5, 6, 5}, rows))
	return strings.TrimRight(sb.String(), "\n")
}

func dayCells(d store.DayStats) []string {
	day := d.Day
	if tm, err := time.Parse("2006-01-02", d.Day); err == nil {
		day = tm.Format("02.01")
	}
	return []string{day, strconv.Itoa(d.Messages), strconv.Itoa(d.Leads)}
}

// table renders a <pre> table: the first column left-aligned and cut to its
// width, the others right-aligned; every cell is HTML-escaped.
func table(head []string, widths []int, rows [][]string) string {
	var sb strings.Builder
	sb.WriteString("<pre>")
	line := func(cells []string) {
		var lb strings.Builder
		for i, c := range cells {
			if i >= len(widths) {
				break
			}
			w := widths[i]
			c = truncate(strings.Join(strings.Fields(c), " "), w)
			pad := strings.Repeat(" ", max(0, w-utf8.RuneCountInString(c)))
			if i > 0 {
				lb.WriteByte(' ')
			}
			if i == 0 || c == "│" {
				lb.WriteString(c + pad)
			} else {
				lb.WriteString(pad + c)
			}
		}
		sb.WriteString(html.EscapeString(strings.TrimRight(lb.String(), " ")))
		sb.WriteByte('\n')
	}
	line(head)
	for _, r := range rows {
		line(r)
	}
	sb.WriteString("</pre>")
	return sb.String()
}

func percent(lang string, part, whole int) string {
	if whole <= 0 {
		return "—"
	}
	p := float64(part) * 100 / float64(whole)
	if p < 10 && p != 0 {
		return decimal(lang, strconv.FormatFloat(p, 'f', 1, 64)) + "%"
	}
	return strconv.Itoa(int(p+0.5)) + "%"
}

// decimal writes a decimal number the way lang does: 1.5 in English, 1,5 in
// Russian.
func decimal(lang, s string) string {
	if lang == "ru" {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// cbChart sends the chart as a new photo message below the tables.
func (b *Bot) cbChart(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	_, _, days, err := b.store.Stats(u.ID, statsDays, b.now())
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	points := make([]chartDay, 0, len(days))
	for _, d := range days {
		day, err := time.Parse("2006-01-02", d.Day)
		if err != nil {
			return fmt.Errorf("stats: bad day %q: %w", d.Day, err)
		}
		points = append(points, chartDay{Day: day, Messages: d.Messages, Leads: d.Leads})
	}
	png, err := renderChart(t, points)
	if err != nil {
		return err
	}
	photo := &tele.Photo{File: tele.FromReader(bytes.NewReader(png)), Caption: t.ChartTitle}
	if err := c.Send(photo); err != nil {
		return fmt.Errorf("send chart: %w", err)
	}
	return nil
}
