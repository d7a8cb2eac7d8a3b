// Package examples holds a sample school district, Maple Valley, so that a
// newcomer sees a working badge office at once (`laurel serve --demo`):
// three professional-learning achievements with badge images, three
// people (an administrator, a reviewer and a teacher) and a roster for
// bulk awards (district/roster.csv).
package examples

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"

	"github.com/laurel-badges/laurel/issuer"
)

//go:embed district
var files embed.FS

// district is the shape of district/district.json.
type district struct {
	Issuer       issuer.Profile `json:"issuer"`
	Achievements []struct {
		Image       string                  `json:"image"`
		Achievement issuer.AchievementInput `json:"achievement"`
	} `json:"achievements"`
	People []struct {
		Role  issuer.Role `json:"role"`
		Name  string      `json:"name"`
		Email string      `json:"email"`
	} `json:"people"`
}

// Person is a demo account and its API token, shown once.
type Person struct {
	User  *issuer.User
	Token string
}

// Demo is what LoadDemo created.
type Demo struct {
	People       []Person
	Achievements []*issuer.Achievement
}

// LoadDemo fills a new badge office with the sample district.
func LoadDemo(ctx context.Context, svc *issuer.Service) (*Demo, error) {
	raw, err := files.ReadFile("district/district.json")
	if err != nil {
		return nil, err
	}
	var d district
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("reading sample district: %w", err)
	}

	demo := &Demo{}
	if err := addPeople(ctx, svc, d, demo); err != nil {
		return nil, err
	}
	admin := demo.People[0].User
	if _, err := svc.UpdateProfile(ctx, admin, issuer.DefaultIssuerID, d.Issuer); err != nil {
		return nil, err
	}
	return demo, addAchievements(ctx, svc, admin, d, demo)
}

func addPeople(ctx context.Context, svc *issuer.Service, d district, demo *Demo) error {
	for _, p := range d.People {
		u, token, err := svc.AddUser(ctx, p.Name, p.Email, p.Role)
		if err != nil {
			return fmt.Errorf("adding %s: %w", p.Name, err)
		}
		demo.People = append(demo.People, Person{User: u, Token: token})
	}
	if len(demo.People) == 0 || demo.People[0].User.Role != issuer.RoleAdmin {
		return fmt.Errorf("the sample district must list its administrator first")
	}
	return nil
}

func addAchievements(ctx context.Context, svc *issuer.Service, admin *issuer.User, d district, demo *Demo) error {
	for _, item := range d.Achievements {
		a, err := svc.CreateAchievement(ctx, admin, item.Achievement)
		if err != nil {
			return fmt.Errorf("adding %s: %w", item.Achievement.Name, err)
		}
		img, err := files.ReadFile("district/" + item.Image)
		if err != nil {
			return err
		}
		if err := svc.SetAchievementImage(ctx, admin, a.ID, "image/svg+xml", img); err != nil {
			return fmt.Errorf("adding the image of %s: %w", a.Name, err)
		}
		demo.Achievements = append(demo.Achievements, a)
	}
	return nil
}
