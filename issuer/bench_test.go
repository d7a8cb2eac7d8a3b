package issuer_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// BenchmarkDurableIssuance measures issuance end to end: build, sign
// (eddsa-rdfc-2022) and a committed, fsynced bbolt write, with concurrent
// awards so that bbolt batches the commits. Run it with the machine's
// cores: go test -run=^$ -bench=DurableIssuance ./issuer
func BenchmarkDurableIssuance(b *testing.B) {
	ctx := context.Background()
	o := newOffice(b, b.TempDir())
	admin := &issuer.User{ID: "bench", Role: issuer.RoleAdmin}
	a, err := o.svc.CreateAchievement(ctx, admin, achievementInput())
	if err != nil {
		b.Fatal(err)
	}

	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			email := fmt.Sprintf("teacher%d@district.example", n.Add(1))
			if _, _, err := o.svc.Award(ctx, admin, a.ID, issuer.Recipient{Email: email}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "credentials/s")
}
