package issuer

import "time"

// SchoolYearSpan returns the school year t falls in as [from, to): from 1
// July, the start SchoolYear counts from, to the next 1 July, both at
// midnight in t's location. Reports default to it.
func SchoolYearSpan(t time.Time) (from, to time.Time) {
	start := t.Year()
	if t.Month() < time.July {
		start--
	}
	from = time.Date(start, time.July, 1, 0, 0, 0, 0, t.Location())
	return from, from.AddDate(1, 0, 0)
}
