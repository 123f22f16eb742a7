package bot

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"
)

// chartDay is one day of the analytics chart.
type chartDay struct {
	Day             time.Time // midnight UTC of the day
	Messages, Leads int
}

// Colours of the two series, also used for their axes so the reader can tell
// which scale belongs to which line.
var (
	colorMessages = drawing.Color{R: 0x8a, G: 0xa4, B: 0xc8, A: 0xff}
	colorLeads    = drawing.Color{R: 0xe0, G: 0x5a, B: 0x1a, A: 0xff}
)

// renderChart draws messages (left axis, filled) and leads (right axis) per
// day as a PNG, with the title and legend in t's language. Each series gets
// its own axis because leads are usually a small fraction of messages.
func renderChart(t *texts, days []chartDay) ([]byte, error) {
	if len(days) < 2 {
		return nil, errors.New("chart: need at least two days")
	}
	xs := make([]time.Time, len(days))
	msgs := make([]float64, len(days))
	leads := make([]float64, len(days))
	maxMsgs, maxLeads := 0, 0
	for i, d := range days {
		xs[i] = d.Day
		msgs[i] = float64(d.Messages)
		leads[i] = float64(d.Leads)
		maxMsgs = max(maxMsgs, d.Messages)
		maxLeads = max(maxLeads, d.Leads)
	}
	msgTop, msgTicks := countTicks(maxMsgs)
	leadTop, leadTicks := countTicks(maxLeads)

	// X ticks: about one a week, always the first and last day.
	var xTicks []chart.Tick
	step := max(1, len(days)/5)
	for i := 0; i < len(days); i += step {
		if len(days)-1-i < step/2 && i != 0 {
			break
		}
		xTicks = append(xTicks, chart.Tick{Value: chart.TimeToFloat64(xs[i]), Label: xs[i].Format("02.01")})
	}
	last := xs[len(xs)-1]
	xTicks = append(xTicks, chart.Tick{Value: chart.TimeToFloat64(last), Label: last.Format("02.01")})

	// No chart title: the photo's caption carries it, and go-chart draws the
	// title over the legend.
	c := chart.Chart{
		Width:  900,
		Height: 450,
		Background: chart.Style{
			Padding: chart.Box{Top: 40, Left: 20, Right: 20, Bottom: 20},
		},
		XAxis: chart.XAxis{
			Ticks: xTicks,
			Range: &chart.ContinuousRange{Min: chart.TimeToFloat64(xs[0]), Max: chart.TimeToFloat64(last)},
		},
		YAxis: chart.YAxis{
			Name:      t.ChartMessages,
			NameStyle: chart.Style{FontColor: colorMessages},
			Style:     chart.Style{FontColor: colorMessages},
			Range:     &countRange{ContinuousRange: &chart.ContinuousRange{Min: 0, Max: msgTop}, ticks: msgTicks},
		},
		YAxisSecondary: chart.YAxis{
			Name:      t.ChartLeads,
			NameStyle: chart.Style{FontColor: colorLeads},
			Style:     chart.Style{FontColor: colorLeads},
			Range:     &countRange{ContinuousRange: &chart.ContinuousRange{Min: 0, Max: leadTop}, ticks: leadTicks},
		},
		Series: []chart.Series{
			chart.TimeSeries{
				Name:    t.ChartMessages,
				XValues: xs,
				YValues: msgs,
				YAxis:   chart.YAxisPrimary,
				Style: chart.Style{
					StrokeColor: colorMessages,
					FillColor:   colorMessages.WithAlpha(70),
					StrokeWidth: 2,
				},
			},
			chart.TimeSeries{
				Name:    t.ChartLeads,
				XValues: xs,
				YValues: leads,
				YAxis:   chart.YAxisSecondary,
				Style: chart.Style{
					StrokeColor: colorLeads,
					StrokeWidth: 3,
					DotColor:    colorLeads,
					DotWidth:    3,
				},
			},
		},
	}
	c.Elements = []chart.Renderable{chart.LegendThin(&c)}
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		return nil, fmt.Errorf("chart: render: %w", err)
	}
	return buf.Bytes(), nil
}

// countTicks returns the top of an axis for counts up to n and whole-number
// ticks from 0 to that top, at most six of them.
func countTicks(n int) (top float64, ticks []chart.Tick) {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000} {
		step = s
		if n <= 5*s {
			break
		}
	}
	for n > 5*step { // beyond the table: keep doubling
		step *= 2
	}
	topN := max(step, (n+step-1)/step*step)
	for v := 0; v <= topN; v += step {
		ticks = append(ticks, chart.Tick{Value: float64(v), Label: strconv.Itoa(v)})
	}
	return float64(topN), ticks
}

// countRange is a fixed range with its own whole-number ticks. Ticks go
// through the range rather than YAxis.Ticks because go-chart v2.1.2 sizes the
// secondary axis from the primary axis's Ticks.
type countRange struct {
	*chart.ContinuousRange
	ticks []chart.Tick
}

func (r *countRange) GetTicks(chart.Renderer, chart.Style, chart.ValueFormatter) []chart.Tick {
	return r.ticks
}
