package bot

import (
	"bytes"
	"image/png"
	"os"
	"testing"
	"time"
)

func TestRenderChart(t *testing.T) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		lang  string
		msgs  func(i int) int
		leads func(i int) int
	}{
		{"all zero", "en", func(int) int { return 0 }, func(int) int { return 0 }},
		{"russian busy", "ru", func(i int) int { return 300 + 40*(i%7) }, func(i int) int { return i % 5 }},
		{"one spike", "en", func(i int) int { return map[bool]int{true: 12345}[i == 10] }, func(i int) int { return map[bool]int{true: 1}[i == 10] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var days []chartDay
			for i := range 30 {
				days = append(days, chartDay{Day: start.AddDate(0, 0, i), Messages: tt.msgs(i), Leads: tt.leads(i)})
			}
			data, err := renderChart(tr(tt.lang), days)
			if err != nil {
				t.Fatalf("renderChart: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 450 {
				t.Errorf("size %v; want 900x450", b)
			}
			if dir := os.Getenv("LGR_CHART_DIR"); dir != "" {
				os.WriteFile(dir+"/"+tt.name+".png", data, 0o644)
			}
		})
	}
}

func TestCountTicks(t *testing.T) {
	tests := []struct {
		name string
		n    int
		top  float64
	}{
		{"zero", 0, 1}, {"small", 4, 4}, {"seven", 7, 8}, {"hundreds", 333, 400}, {"huge", 123456, 160000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, ticks := countTicks(tt.n)
			if top != tt.top {
				t.Errorf("countTicks(%d) top = %v; want %v", tt.n, top, tt.top)
			}
			if len(ticks) < 2 || len(ticks) > 7 || ticks[len(ticks)-1].Value != top {
				t.Errorf("countTicks(%d) ticks = %v", tt.n, ticks)
			}
		})
	}
}
