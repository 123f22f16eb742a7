package monitor

import (
	"fmt"
	"testing"
)

var benchSizes = []int{50, 1000}

// BenchmarkMatch measures the engine on the generated corpus, with a warm
// stem cache, as in a running service.
func BenchmarkMatch(b *testing.B) {
	msgs := corpus(4096, 1)
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			m, err := Compile(genRules(n, 2), genStops())
			if err != nil {
				b.Fatal(err)
			}
			for _, msg := range msgs {
				m.Match(msg)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.Match(msgs[i%len(msgs)])
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkNaive is the baseline: every rule checked separately, the
// message re-normalized and re-stemmed per rule.
func BenchmarkNaive(b *testing.B) {
	msgs := corpus(4096, 1)
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			m, err := newNaive(genRules(n, 2), genStops())
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				m.match(msgs[i%len(msgs)])
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

// BenchmarkMatchDoc is one message analyzed once and matched against 20
// owners' matchers of 50 rules each: the shape of the production fan-out.
func BenchmarkMatchDoc(b *testing.B) {
	msgs := corpus(4096, 1)
	var ms []*Matcher
	for o := range 20 {
		m, err := Compile(genRules(50, uint64(100+o)), genStops())
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	for _, msg := range msgs {
		Analyze(msg)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d := Analyze(msgs[i%len(msgs)])
		for _, m := range ms {
			m.MatchDoc(d)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "msgs/s")
}
