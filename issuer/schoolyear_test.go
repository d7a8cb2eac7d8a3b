package issuer_test

import (
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
)

func TestSchoolYearSpan(t *testing.T) {
	cases := []struct{ at, from time.Time }{
		{day(2026, 6, 30, 23, 59, 59), day(2025, 7, 1, 0, 0, 0)},
		{day(2026, 7, 1, 0, 0, 0), day(2026, 7, 1, 0, 0, 0)},
		{day(2026, 12, 3, 15, 0, 0), day(2026, 7, 1, 0, 0, 0)},
		{day(2027, 1, 1, 0, 0, 0), day(2026, 7, 1, 0, 0, 0)},
	}
	for _, c := range cases {
		from, to := issuer.SchoolYearSpan(c.at)
		if !from.Equal(c.from) || !to.Equal(c.from.AddDate(1, 0, 0)) {
			t.Errorf("SchoolYearSpan(%v) = %v, %v", c.at, from, to)
		}
		if issuer.SchoolYear(from) != issuer.SchoolYear(c.at) || issuer.SchoolYear(to) == issuer.SchoolYear(c.at) {
			t.Errorf("the span of %v disagrees with SchoolYear", c.at)
		}
	}
}

func TestCanSuspend(t *testing.T) {
	plain, _ := clockedOffice(t)
	both, _ := clockedOffice(t, bothPurposes)
	if plain.svc.CanSuspend() || !both.svc.CanSuspend() {
		t.Fatalf("CanSuspend: %v without suspension, %v with", plain.svc.CanSuspend(), both.svc.CanSuspend())
	}
}
