module github.com/tandem-ops/tandem

go 1.26.8
