package bot

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// Callback actions of the keyword screens. Arguments: kind (store.RuleKind),
// then page, and for delete the rule ID before the page.
const (
	actRules      = "rules"
	actRuleAdd    = "ruleadd"
	actRuleDelete = "ruledel"
)

const (
	rulesPerPage  = 8
	ruleLabelMax  = 40
	maxRulesInput = 200 // candidate rules read from one message
)

func ruleKind(v int64) (store.RuleKind, bool) {
	switch store.RuleKind(v) {
	case store.Keyword:
		return store.Keyword, true
	case store.StopWord:
		return store.StopWord, true
	}
	return 0, false
}

func (b *Bot) cbRules(c tele.Context, u store.User, d cb) error {
	kind, ok := ruleKind(d.arg(0))
	if !ok {
		setToast(c, tr(u.Lang).Outdated)
		return b.showMenu(c, u)
	}
	u, err := b.clearAwaiting(u)
	if err != nil {
		return err
	}
	return b.showRules(c, u, kind, int(d.arg(1)), "")
}

// showRules renders one page of keywords or stop words, each a button that
// removes it, with an optional report above (the result of an add).
func (b *Bot) showRules(c tele.Context, u store.User, kind store.RuleKind, page int, report string) error {
	t := tr(u.Lang)
	rules, err := b.store.Rules(u.ID, kind)
	if err != nil {
		return fmt.Errorf("list rules: %w", err)
	}
	pages := max(1, (len(rules)+rulesPerPage-1)/rulesPerPage)
	page = min(max(page, 0), pages-1)
	from, to := page*rulesPerPage, min(len(rules), (page+1)*rulesPerPage)

	var sb strings.Builder
	if report != "" {
		sb.WriteString(report)
		sb.WriteString("\n\n")
	}
	title, intro, empty := t.KeywordsTitleF, t.KeywordsIntro, t.KeywordsEmpty
	addLabel, otherLabel, other := t.BtnAddKeywords, t.BtnStopWords, store.StopWord
	if kind == store.StopWord {
		title, intro, empty = t.StopTitleF, t.StopIntro, t.StopEmpty
		addLabel, otherLabel, other = t.BtnAddStop, t.BtnKeywordsTab, store.Keyword
	}
	fmt.Fprintf(&sb, title, len(rules), b.cfg.MaxRules)
	sb.WriteString("\n" + intro + "\n\n")
	if len(rules) == 0 {
		sb.WriteString(empty)
	} else {
		for i, r := range rules[from:to] {
			fmt.Fprintf(&sb, "%d. <code>%s</code>\n", from+i+1, html.EscapeString(r.Text))
		}
		sb.WriteString("\n" + t.TapToRemove)
		if pages > 1 {
			sb.WriteString("\n" + fmt.Sprintf(t.PageF, page+1, pages))
		}
	}

	kb := &tele.ReplyMarkup{}
	var rows []tele.Row
	for _, r := range rules[from:to] {
		rows = append(rows, kb.Row(kb.Data("✖ "+truncate(r.Text, ruleLabelMax), encodeCB(actRuleDelete, int64(kind), int64(r.ID), int64(page)))))
	}
	if pages > 1 {
		var nav []tele.Btn
		if page > 0 {
			nav = append(nav, kb.Data(t.BtnPrev, encodeCB(actRules, int64(kind), int64(page-1))))
		}
		if page < pages-1 {
			nav = append(nav, kb.Data(t.BtnNext, encodeCB(actRules, int64(kind), int64(page+1))))
		}
		rows = append(rows, kb.Row(nav...))
	}
	rows = append(rows,
		kb.Row(kb.Data(addLabel, encodeCB(actRuleAdd, int64(kind)))),
		kb.Row(kb.Data(t.BtnTestRules, encodeCB(actTestRules))),
		kb.Row(kb.Data(otherLabel, encodeCB(actRules, int64(other), 0)), kb.Data(t.BtnMainMenu, encodeCB(actMenu))),
	)
	kb.Inline(rows...)
	return b.show(c, sb.String(), kb)
}

func (b *Bot) cbRuleAdd(c tele.Context, u store.User, d cb) error {
	kind, ok := ruleKind(d.arg(0))
	if !ok {
		setToast(c, tr(u.Lang).Outdated)
		return b.showMenu(c, u)
	}
	await := awaitKeywords
	if kind == store.StopWord {
		await = awaitStopWords
	}
	u, err := b.store.UpdateUser(u.ID, func(u *store.User) error {
		u.Awaiting = await
		return nil
	})
	if err != nil {
		return fmt.Errorf("await rules: %w", err)
	}
	return b.show(c, b.askRulesText(u, kind), b.cancelToRules(u, kind))
}

func (b *Bot) askRulesText(u store.User, kind store.RuleKind) string {
	t := tr(u.Lang)
	ask := t.AskKeywords
	if kind == store.StopWord {
		ask = t.AskStop
	}
	return ask + "\n\n" + t.RuleSyntax
}

func (b *Bot) cancelToRules(u store.User, kind store.RuleKind) *tele.ReplyMarkup {
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(tr(u.Lang).BtnCancel, encodeCB(actRules, int64(kind), 0))))
	return kb
}

func (b *Bot) cbRuleDelete(c tele.Context, u store.User, d cb) error {
	t := tr(u.Lang)
	kind, ok := ruleKind(d.arg(0))
	if !ok || d.arg(1) <= 0 {
		setToast(c, t.Outdated)
		return b.showMenu(c, u)
	}
	id := uint64(d.arg(1))
	// Look the rule up among the presser's own rules only: a forged ID that
	// belongs to someone else is simply "not found" here.
	var text string
	rules, err := b.store.Rules(u.ID, kind)
	if err != nil {
		return fmt.Errorf("list rules: %w", err)
	}
	for _, r := range rules {
		if r.ID == id {
			text = r.Text
		}
	}
	err = b.store.DeleteRule(u.ID, kind, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		setToast(c, t.AlreadyGone)
	case err != nil:
		return fmt.Errorf("delete rule: %w", err)
	default:
		setToast(c, fmt.Sprintf(t.RemovedF, truncate(text, 150)))
	}
	return b.showRules(c, u, kind, int(d.arg(2)), "")
}

// onRulesText adds the rules an owner typed: valid ones are stored, each
// invalid one is explained, duplicates and those over the limit are named.
func (b *Bot) onRulesText(c tele.Context, u store.User, kind store.RuleKind) error {
	t := tr(u.Lang)
	candidates := monitor.SplitRuleInput(c.Text())
	if len(candidates) == 0 {
		return c.Send(t.NothingToAdd, b.cancelToRules(u, kind))
	}
	if len(candidates) > maxRulesInput {
		candidates = candidates[:maxRulesInput]
	}
	var valid []string
	var invalid []string
	for _, s := range candidates {
		r, err := monitor.ParseRule(s)
		if err != nil {
			var re *monitor.RuleError
			code := ""
			if errors.As(err, &re) {
				code = string(re.Code)
			}
			why, ok := t.RuleErr[code]
			if !ok {
				why = t.RuleErr[""]
			}
			invalid = append(invalid, fmt.Sprintf(t.InvalidLineF, html.EscapeString(truncate(s, 40)), why))
			continue
		}
		valid = append(valid, r.Text)
	}
	added, dups, over, err := b.store.AddRules(u.ID, kind, valid, b.cfg.MaxRules)
	if err != nil {
		return fmt.Errorf("add rules: %w", err)
	}

	var report []string
	if len(added) > 0 {
		if kind == store.StopWord {
			report = append(report, fmt.Sprintf(t.AddedStopF, t.StopWords.N(u.Lang, len(added))))
		} else {
			report = append(report, fmt.Sprintf(t.AddedF, t.Rules.N(u.Lang, len(added))))
		}
	}
	if len(dups) > 0 {
		report = append(report, fmt.Sprintf(t.DupsF, quoteList(dups)))
	}
	if len(over) > 0 {
		report = append(report, fmt.Sprintf(t.OverLimitF, b.cfg.MaxRules, quoteList(over)))
	}
	if len(invalid) > 0 {
		// Keep waiting, so the owner can send the fixed rules straight away.
		if len(invalid) > maxListed {
			invalid = append(invalid[:maxListed], fmt.Sprintf("… (+%d)", len(invalid)-maxListed))
		}
		report = append(report, t.InvalidHead+"\n"+strings.Join(invalid, "\n"))
		return c.Send(strings.Join(report, "\n\n"), b.cancelToRules(u, kind), tele.ModeHTML)
	}
	u, err = b.clearAwaiting(u)
	if err != nil {
		return err
	}
	page := 0
	if n, err := b.store.Rules(u.ID, kind); err == nil && len(n) > 0 {
		page = (len(n) - 1) / rulesPerPage
	}
	return b.showRules(c, u, kind, page, strings.Join(report, "\n"))
}

// maxListed bounds how many rules each part of a report names (with rules
// cut to 40 characters and reasons under 100), so a whole report stays far
// below Telegram's 4096-character limit however much the owner pasted.
const maxListed = 10

func quoteList(items []string) string {
	q := make([]string, 0, min(len(items), maxListed)+1)
	for _, s := range items[:min(len(items), maxListed)] {
		q = append(q, "<code>"+html.EscapeString(truncate(s, 40))+"</code>")
	}
	if len(items) > maxListed {
		q = append(q, fmt.Sprintf("… (+%d)", len(items)-maxListed))
	}
	return strings.Join(q, ", ")
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
