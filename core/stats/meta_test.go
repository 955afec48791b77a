package stats

import (
	"math"
	"testing"
)

// metafor's BCG vaccine trials (dat.bcg; Colditz et al. 1994), log risk
// ratios: rma(yi, vi, data = dat, method = "DL") gives estimate −0.7141,
// se 0.1787, τ² 0.3088, I² 92.12 %, Q 152.2330 on 12 df.
func TestDerSimonianLaird_BCG(t *testing.T) {
	trials := [][4]float64{
		{4, 119, 11, 128}, {6, 300, 29, 274}, {3, 228, 11, 209}, {62, 13536, 248, 12619},
		{33, 5036, 47, 5761}, {180, 1361, 372, 1079}, {8, 2537, 10, 619}, {505, 87886, 499, 87892},
		{29, 7470, 45, 7232}, {17, 1699, 65, 1600}, {186, 50448, 141, 27197}, {5, 2493, 3, 2338}, {27, 16886, 29, 17825},
	}
	var y, v []float64
	for _, d := range trials {
		tpos, tneg, cpos, cneg := d[0], d[1], d[2], d[3]
		y = append(y, math.Log((tpos/(tpos+tneg))/(cpos/(cpos+cneg))))
		v = append(v, 1/tpos-1/(tpos+tneg)+1/cpos-1/(cpos+cneg))
	}
	p, ok := DerSimonianLaird(y, v)
	if !ok || p.K != 13 {
		t.Fatalf("pooled %+v, %v", p, ok)
	}
	near(t, "estimate", p.Estimate, -0.7141, 5e-5)
	near(t, "se", p.SE, 0.1787, 5e-5)
	near(t, "tau²", p.Tau2, 0.3088, 5e-5)
	near(t, "I²", p.I2, 0.9212, 5e-5)
	near(t, "Q", p.Q, 152.2330, 5e-4)
}

// Ensure that identical effects pool to themselves with no heterogeneity,
// and that unusable variances are left out rather than poisoning the sum.
func TestDerSimonianLaird_Edges(t *testing.T) {
	p, ok := DerSimonianLaird([]float64{0.1, 0.1, 0.1, 9}, []float64{0.01, 0.01, 0.01, 0})
	if !ok || p.K != 3 || p.Tau2 != 0 || p.I2 != 0 || math.Abs(p.Estimate-0.1) > 1e-12 {
		t.Fatalf("pooled %+v", p)
	}
	if _, ok := DerSimonianLaird([]float64{math.NaN()}, []float64{1}); ok {
		t.Fatal("pooled a NaN")
	}
}
