package xsdtime

import (
	"errors"
	"testing"
)

func TestParseStamp(t *testing.T) {
	good := []string{"2024-01-01T09:30:00Z", "2024-01-01T09:30:00.123Z", "2010-01-01T19:23:24-08:00"}
	for _, s := range good {
		if _, err := ParseStamp(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}

	bad := []string{"", "2024-01-01", "2024-01-01T09:30:00", "2024-13-01T09:30:00Z", "yesterday", "2024-01-01T09:30:00+0100"}
	for _, s := range bad {
		if _, err := ParseStamp(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: got %v, want ErrInvalid", s, err)
		}
	}
}

func TestParseLenient(t *testing.T) {
	got, err := ParseLenient("2024-01-01T09:30:00")
	if err != nil || got.Location().String() != "UTC" || got.Hour() != 9 {
		t.Fatalf("got %v, %v", got, err)
	}
	if _, err := ParseLenient("2024-01-01"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("date without time accepted: %v", err)
	}
}
