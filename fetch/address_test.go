package fetch

import (
	"errors"
	"net/netip"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "::", "0.1.2.3",
		"10.0.0.1", "172.16.5.4", "192.168.1.1", "fc00::1", "fd00:ec2::254",
		"169.254.169.254", "169.254.0.1", "fe80::1", "fe80::1%eth0",
		"100.64.0.1", "100.100.100.200", "224.0.0.1", "ff02::1", "ff05::2",
		"255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.192",
		"::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1",
		"::ffff:100.64.0.1", "::127.0.0.1", "fec0::1", "100::1",
		"64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::1", "2002:7f00:1::1",
		"2002:a9fe:a9fe::",
	}
	for _, s := range refused {
		if err := checkAddr(netip.MustParseAddr(s)); !errors.Is(err, ErrAddress) {
			t.Errorf("%s: %v, want ErrAddress", s, err)
		}
	}

	allowed := []string{
		"8.8.8.8", "1.1.1.1", "93.184.215.14", "::ffff:8.8.8.8",
		"2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::808:808", "2002:808:808::1",
	}
	for _, s := range allowed {
		if err := checkAddr(netip.MustParseAddr(s)); err != nil {
			t.Errorf("%s: %v, want allowed", s, err)
		}
	}
}

func TestRefusePrivate(t *testing.T) {
	for _, addr := range []string{
		"169.254.169.254:80", "[::ffff:127.0.0.1]:443", "[fe80::1%lo]:443", "nonsense",
	} {
		if err := refusePrivate("tcp", addr, nil); !errors.Is(err, ErrAddress) {
			t.Errorf("%s: %v, want ErrAddress", addr, err)
		}
	}
	if err := refusePrivate("tcp6", "[2606:4700:4700::1111]:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
}
