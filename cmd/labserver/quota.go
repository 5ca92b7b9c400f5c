package main

import (
	"fmt"
	"strconv"
	"strings"
)

// sizeFlag is -quota: a size in octets, with an optional K, M or G
// (powers of 1024, as Dovecot's quota_rule reads them); 0 is no limit.
type sizeFlag struct{ n *int64 }

func (f sizeFlag) String() string {
	if f.n == nil || *f.n == 0 {
		return "0"
	}
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if *f.n%u.size == 0 {
			return strconv.FormatInt(*f.n/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(*f.n, 10)
}

func (f sizeFlag) Set(s string) error {
	num, mult := strings.ToUpper(strings.TrimSpace(s)), int64(1)
	num = strings.TrimSuffix(num, "B")
	for suffix, m := range map[string]int64{"K": 1 << 10, "M": 1 << 20, "G": 1 << 30} {
		if strings.HasSuffix(num, suffix) {
			num, mult = strings.TrimSuffix(num, suffix), m
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/mult {
		return fmt.Errorf("%q is not a size: give octets, or a number with K, M or G (e.g. 100M)", s)
	}
	*f.n = n * mult
	return nil
}
