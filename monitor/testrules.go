package monitor

import (
	"fmt"

	"github.com/leadgenrunner/leadgenrunner/store"
)

// MaxTestExamples is the most examples a TestReport carries.
const MaxTestExamples = 5

// TestReport is what the owner's current rules would have done to their
// recent messages.
type TestReport struct {
	Scanned  int           // messages looked at
	Matched  int           // matched a keyword rule and no stop word
	Stopped  int           // matched a keyword rule but a stop word vetoed it
	Examples []TestExample // up to MaxTestExamples matches, newest first
}

// TestExample is one message the rules matched.
type TestExample struct {
	Message  store.Message
	Keywords []string // the keyword rules that fired, as written
}

// TestRules runs the owner's current rules (the cached matcher) over their
// last n stored messages, newest first. n <= 0 scans nothing.
func (p *Pipeline) TestRules(ownerID int64, n int) (TestReport, error) {
	rep := TestReport{Examples: []TestExample{}}
	cm, err := p.matcher(ownerID)
	if err != nil {
		return rep, fmt.Errorf("monitor: test rules: %w", err)
	}
	msgs, err := p.store.RecentMessages(ownerID, n)
	if err != nil {
		return rep, fmt.Errorf("monitor: test rules: %w", err)
	}
	for _, m := range msgs {
		rep.Scanned++
		if cm.keywords == 0 {
			continue
		}
		res := cm.m.Match(m.Text)
		switch {
		case res.Match:
			rep.Matched++
			if len(rep.Examples) < MaxTestExamples {
				rep.Examples = append(rep.Examples, TestExample{Message: m, Keywords: res.Keywords})
			}
		case len(res.Keywords) > 0:
			rep.Stopped++
		}
	}
	return rep, nil
}
