package common

import "fmt"

// Plural says n of a thing: "1 variant", "3 variants".
func Plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
