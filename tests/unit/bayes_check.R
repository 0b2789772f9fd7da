# Exact base-R quadrature for the normal-normal model (as bayesmeta), the source of the
# numbers in test_bayes.c: Rscript tests/unit/bayes_check.R (from the repository root).
bm <- function(y, v, dprior, mu.mean = NA, mu.sd = NA, lo = 0, hi = Inf) {
  rt <- 1e-13
  yy <- if (is.na(mu.mean)) y else c(mu.mean, y)
  lml <- function(t) sapply(t, function(t) {
    vt <- if (is.na(mu.mean)) t^2 + v else c(mu.sd^2, t^2 + v)
    w <- 1 / vt; m <- sum(w * yy) / sum(w)
    -0.5 * ((length(yy) - 1) * log(2 * pi) + sum(log(vt)) + sum(w * (yy - m)^2) + log(sum(w)))
  })
  cm <- function(t) { vt <- if (is.na(mu.mean)) t^2 + v else c(mu.sd^2, t^2 + v)
    w <- 1 / vt; c(sum(w * yy) / sum(w), 1 / sum(w)) }
  un <- function(t) exp(log(dprior(t)) + lml(t))
  Z <- integrate(un, lo, hi, rel.tol = rt)$value
  post <- function(t) un(t) / Z
  cdf <- function(x) integrate(post, lo, x, rel.tol = rt)$value
  q <- function(p) uniroot(function(x) cdf(x) - p, c(lo, 20), tol = 1e-14)$root
  mixcdf <- function(x, pred = FALSE) integrate(function(t) sapply(t, function(t) {
    c <- cm(t); s <- sqrt(c[2] + pred * t^2); pnorm(x, c[1], s) * post(t) }), lo, hi, rel.tol = rt)$value
  mq <- function(p, pred = FALSE) uniroot(function(x) mixcdf(x, pred) - p, c(-20, 20), tol = 1e-14)$root
  c(logZ = log(Z), tau_median = q(0.5), tau_lb = q(0.025), tau_ub = q(0.975),
    tau_mean = integrate(function(t) t * post(t), lo, hi, rel.tol = rt)$value,
    mu_median = mq(0.5), mu_lb = mq(0.025), mu_ub = mq(0.975), theta_lb = mq(0.025, TRUE),
    mu_p_gt0 = 1 - mixcdf(0))
}
options(digits = 15)
d <- read.csv("tests/reference/normand1999.yivi.csv")
y <- d$yi; v <- d$vi
jeff <- function(t) sapply(t, function(x) sqrt(sum((x / (v + x^2))^2)))
print(bm(y, v, function(t) 1 / 0.5 * (1 + t / 0.5)^-2))                # lomax:0.5:1
print(bm(y, v, function(t) 2 * dt(t / 0.5, 3) / 0.5))                   # halfstudent:0.5:3
print(bm(y, v, function(t) dunif(t, 0.1, 2), lo = 0.1, hi = 2))          # uniform:0.1:2
print(bm(y, v, jeff))                                                    # jeffreys
# Crins et al. 2014 (bayesmeta's CrinsEtAl2014), log odds ratios of acute rejection:
# escalc("OR", ai=exp.AR.events, n1i=exp.total, ci=cont.AR.events, n2i=cont.total)
yc <- c(-2.30970256076291, -0.459532329378441, -2.30258509299405, -1.75785791755237,
        -1.25846098961001, -2.41789593950504)
vc <- c(0.359371833839919, 0.309576023391813, 0.775, 0.207816091954023, 0.412159090909091,
        2.33726229765834)
print(bm(yc, vc, function(t) 2 * dnorm(t, 0, 0.5)))                      # halfnormal:0.5
