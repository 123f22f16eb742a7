package bot

import (
	"fmt"
	"html"
	"strings"

	tele "gopkg.in/telebot.v3"

	"github.com/leadgenrunner/leadgenrunner/monitor"
	"github.com/leadgenrunner/leadgenrunner/store"
)

// "Test my keywords": run the owner's current rules over their latest stored
// messages and show what would have become a lead.

const actTestRules = "testkw"

// testRulesOver is how many of the owner's latest messages a test scans.
const testRulesOver = 200

// Pipeline is the part of monitor.Pipeline the bot uses.
type Pipeline interface {
	// TestRules runs the owner's current rules over their last n stored
	// messages.
	TestRules(ownerID int64, n int) (monitor.TestReport, error)
}

var _ Pipeline = (*monitor.Pipeline)(nil)

func (b *Bot) cbTestRules(c tele.Context, u store.User, _ cb) error {
	t := tr(u.Lang)
	kb := &tele.ReplyMarkup{}
	kb.Inline(kb.Row(kb.Data(t.BtnBack, encodeCB(actRules, int64(store.Keyword), 0)), kb.Data(t.BtnMainMenu, encodeCB(actMenu))))
	if b.cfg.Pipeline == nil {
		return b.show(c, t.TestUnavailable, kb)
	}
	rep, err := b.cfg.Pipeline.TestRules(u.ID, testRulesOver)
	if err != nil {
		return fmt.Errorf("test rules: %w", err)
	}
	return b.show(c, testReportText(t, u.Lang, rep), kb)
}

// A test report lists up to monitor.MaxTestExamples examples. Each is cut
// so that five of them, even all emoji (two UTF-16 units a rune), stay well
// under Telegram's 4096 units: a 40-rune chat title, testExampleRunes of
// text and testKeywordsShown keywords of testKeywordRunes runes, about 700
// units in all. The report also stops adding examples before tgTextBudget.
const (
	testExampleRunes  = 150
	testKeywordsShown = 5
	testKeywordRunes  = 30
)

func testReportText(t *texts, lang string, rep monitor.TestReport) string {
	var sb strings.Builder
	sb.WriteString(t.TestTitle + "\n\n")
	if rep.Scanned == 0 {
		sb.WriteString(t.TestNoMessages)
		return sb.String()
	}
	sb.WriteString(t.TestScanned.N(lang, rep.Scanned))
	sb.WriteString("\n" + t.TestMatched.N(lang, rep.Matched))
	sb.WriteString("\n" + t.TestStopped.N(lang, rep.Stopped))
	if len(rep.Examples) > 0 {
		sb.WriteString("\n\n<b>" + t.TestExamples + "</b>")
		used := tgLen(sb.String())
		for _, ex := range rep.Examples {
			var spans [][2]int
			if m, err := monitor.Compile(ex.Keywords, nil); err == nil {
				spans = m.Spans(ex.Message.Text)
			}
			item := fmt.Sprintf("\n\n• <i>%s</i>\n  %s · 🔑 %s", html.EscapeString(truncate(chatTitle(t, ex.Message.ChatTitle), 40)),
				highlightHTML(ex.Message.Text, spans, testExampleRunes), codeListN(ex.Keywords, testKeywordsShown, testKeywordRunes))
			if used += tgLen(item); used > tgTextBudget {
				break
			}
			sb.WriteString(item)
		}
	} else if rep.Matched == 0 {
		sb.WriteString("\n\n" + t.TestNoneMatched)
	}
	return sb.String()
}
