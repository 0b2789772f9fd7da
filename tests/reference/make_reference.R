# Regenerates every reference file of tests/reference from R: metafor and metadat for the
# frequentist models, clubSandwich for cluster-robust inference, and base R's adaptive
# quadrature (integrate, uniroot) for the Bayesian model.
#
# Usage: Rscript tests/reference/make_reference.R OUTDIR
#        (make reference: writes into a temporary folder and compares with the committed
#        files at the tolerances of tests/reference/README.md, see compare.py)
#
# Debian packages: r-cran-metafor (with r-cran-metadat), r-cran-clubsandwich.
suppressMessages({
  library(metafor)
  library(metadat)
  library(clubSandwich)
})

args <- commandArgs(TRUE)
if (length(args) != 1) stop("usage: Rscript make_reference.R OUTDIR")
outdir <- args[1]
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

# Tight convergence everywhere, so the references hold many digits.
ctl <- list(threshold = 1e-12, maxiter = 10000, stepadj = 0.5, tol = 1e-12)
methods <- c("FE", "DL", "REML", "ML", "PM", "HS", "SJ", "HE", "EB")

na_if_empty <- function(x) if (is.null(x) || length(x) == 0) NA else x
num_text <- function(x) ifelse(is.na(x), "NA", sprintf("%.15g", x))
write_ref <- function(df, name) {
  df[] <- lapply(df, function(col) if (is.numeric(col)) num_text(col) else col)
  write.csv(df, file.path(outdir, name), row.names = FALSE, quote = FALSE, na = "NA")
}
bind <- function(rows) do.call(rbind, rows)

## ---- the data sets --------------------------------------------------------------------

# BCG vaccine trials: log risk ratios.
bcg_data <- function() {
  e <- escalc("RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
  data.frame(study = paste0(gsub("[ ,.]", "", e$author), e$year), yi = as.numeric(e$yi),
             vi = as.numeric(e$vi), alloc = e$alloc, ablat = e$ablat, year = e$year)
}
# Teacher expectancy: SMDs as published.
raudenbush_data <- function() {
  r <- dat.raudenbush1985
  data.frame(study = paste0(gsub("[ ,.&]", "", r$author), r$year), yi = r$yi, vi = r$vi,
             weeks = r$weeks, setting = r$setting, tester = r$tester)
}
# Stroke units: group means, SDs and sizes (complete rows).
normand_data <- function() {
  d <- dat.normand1999
  x <- data.frame(study = gsub(" ", "_", d$source), m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i,
                  m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i)
  x[complete.cases(x), ]
}
normand_es <- function(measure) {
  d <- normand_data()
  es <- escalc(measure, m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i,
               data = d)
  data.frame(study = d$study, yi = as.numeric(es$yi), vi = as.numeric(es$vi))
}

## ---- first set: rma.uni and its companions ---------------------------------------------

# One row per estimator x test: the fit, the Q-profile CI of tau^2 and I^2, the prediction
# interval, and the Higgins-Thompson-Spiegelhalter interval (t with k - 2 df).
pool_table <- function(yi, vi) {
  rows <- list()
  for (m in methods) for (tst in c("z", "knha")) {
    if (m == "FE" && tst == "knha") next
    fit <- try(rma(yi, vi, method = m, test = tst, control = ctl), silent = TRUE)
    if (inherits(fit, "try-error")) next
    tau2_ci <- c(NA, NA)
    i2_ci <- c(NA, NA)
    if (m != "FE" && fit$k > 1) {
      ci <- try(confint(fit, control = list(tol = 1e-12)), silent = TRUE)
      if (!inherits(ci, "try-error")) {
        tau2_ci <- ci$random["tau^2", c("ci.lb", "ci.ub")]
        i2_ci <- ci$random["I^2(%)", c("ci.lb", "ci.ub")]
      }
    }
    pr <- predict(fit)
    k <- fit$k
    hts <- c(NA, NA)
    if (k > 2 && m != "FE")
      hts <- fit$b[1] + c(-1, 1) * qt(0.975, k - 2) * sqrt(fit$tau2 + fit$se^2)
    rows[[length(rows) + 1]] <- data.frame(
      method = m, test = tst, k = k, estimate = fit$b[1], se = fit$se, stat = fit$zval,
      pval = fit$pval, ci_lb = fit$ci.lb, ci_ub = fit$ci.ub, tau2 = fit$tau2,
      tau2_lb = tau2_ci[1], tau2_ub = tau2_ci[2], I2 = na_if_empty(fit$I2), I2_lb = i2_ci[1],
      I2_ub = i2_ci[2], H2 = na_if_empty(fit$H2), Q = fit$QE, Q_df = k - 1, Q_p = fit$QEp,
      pi_lb = na_if_empty(pr$pi.lb), pi_ub = na_if_empty(pr$pi.ub), pi_hts_lb = hts[1],
      pi_hts_ub = hts[2])
  }
  bind(rows)
}

# Classic Egger (weighted regression on the SE), Begg's rank correlation, trim-and-fill
# (L0, REML) of the REML model.
bias_table <- function(yi, vi) {
  fit <- rma(yi, vi, method = "REML", control = ctl)
  eg <- regtest(fit, model = "lm", predictor = "sei")
  rk <- ranktest(fit)
  tf <- trimfill(fit)
  cf <- summary(eg$fit)$coefficients
  data.frame(egger_bias = cf[2, 1], egger_bias_se = cf[2, 2], egger_t = eg$zval,
             egger_df = eg$dfs, egger_p = eg$pval, egger_limit_estimate = cf[1, 1],
             begg_tau = rk$tau, begg_p = rk$pval, trimfill_k0 = tf$k0,
             trimfill_side = tf$side, trimfill_estimate = tf$b[1], trimfill_ci_lb = tf$ci.lb,
             trimfill_ci_ub = tf$ci.ub, trimfill_tau2 = tf$tau2)
}

# Leave-one-out refits of the REML model.
loo_table <- function(yi, vi, labels) {
  bind(lapply(seq_along(yi), function(i) {
    f <- rma(yi[-i], vi[-i], method = "REML", control = ctl)
    data.frame(left_out = i, study = labels[i], estimate = f$b[1], se = f$se, ci_lb = f$ci.lb,
               ci_ub = f$ci.ub, Q = f$QE, tau2 = f$tau2, I2 = f$I2)
  }))
}

# Separate tau^2 per subgroup (REML); the test for subgroup differences across the subgroup
# estimates (as RevMan and meta), and the common-tau^2 mixed model (mods = ~ factor).
subgroup_tables <- function(name, d, by) {
  g <- d[[by]]
  sg <- bind(lapply(sort(unique(g)), function(lv) {
    f <- rma(yi, vi, data = d[g == lv, ], method = "REML", control = ctl)
    data.frame(group = lv, k = f$k, estimate = f$b[1], se = f$se, ci_lb = f$ci.lb,
               ci_ub = f$ci.ub, tau2 = f$tau2, I2 = f$I2, Q = f$QE, Q_p = f$QEp)
  }))
  between <- rma(sg$estimate, sei = sg$se, method = "FE")
  mixed <- rma(yi, vi, mods = ~ factor(g), data = d, method = "REML", control = ctl)
  write_ref(sg, paste0(name, ".subgroup.csv"))
  write_ref(data.frame(Q_between = between$QE, Q_between_df = between$k - 1,
                       Q_between_p = between$QEp, common_tau2 = mixed$tau2, QM = mixed$QM,
                       QM_df = mixed$m, QM_p = mixed$QMp),
            paste0(name, ".subgroup_test.csv"))
}

# Meta-regression on one continuous moderator, z and Knapp-Hartung tests.
metareg_table <- function(d, x) {
  bind(lapply(c("z", "knha"), function(tst) {
    f <- rma(yi, vi, mods = d[[x]], data = d, method = "REML", test = tst, control = ctl)
    data.frame(test = tst, intercept = f$b[1], slope = f$b[2], se_intercept = f$se[1],
               se_slope = f$se[2], p_slope = f$pval[2], slope_ci_lb = f$ci.lb[2],
               slope_ci_ub = f$ci.ub[2], tau2 = f$tau2, I2 = f$I2, R2 = f$R2, QM = f$QM,
               QM_p = f$QMp, QE = f$QE, QE_p = f$QEp)
  }))
}

first_set <- function(name, d) {
  write_ref(pool_table(d$yi, d$vi), paste0(name, ".pool.csv"))
  write_ref(bias_table(d$yi, d$vi), paste0(name, ".bias.csv"))
  write_ref(loo_table(d$yi, d$vi, d$study), paste0(name, ".loo.csv"))
}

## ---- second set: small-sample tests, Egger as regtest's default -------------------------

# test = "t": unadjusted SE, t with k - 1 df; test = "adhoc": Knapp-Hartung with the SE never
# below the z one. The common-effect model has no tau^2 to adjust for: t only.
smalltests_table <- function(yi, vi) {
  rows <- list()
  for (m in methods) for (tst in c("t", "adhoc")) {
    if (m == "FE" && tst == "adhoc") next
    f <- rma(yi, vi, method = m, test = tst, control = ctl)
    pr <- predict(f)
    pi <- if (m == "FE") c(NA, NA) else c(pr$pi.lb, pr$pi.ub)
    rows[[length(rows) + 1]] <- data.frame(
      method = m, test = tst, k = f$k, estimate = f$b[1], se = f$se, stat = f$zval,
      df = f$ddf, pval = f$pval, ci_lb = f$ci.lb, ci_ub = f$ci.ub, tau2 = f$tau2,
      pi_lb = pi[1], pi_ub = pi[2])
  }
  bind(rows)
}

# regtest() with its defaults: model "rma" (REML), predictor "sei"; the limit estimate is
# the intercept, the effect at SE = 0.
egger_rma_table <- function(yi, vi) {
  eg <- regtest(rma(yi, vi, method = "REML", control = ctl))
  data.frame(egger_rma_stat = eg$zval, egger_rma_p = eg$pval, egger_rma_limit = eg$est,
             egger_rma_limit_lb = eg$ci.lb, egger_rma_limit_ub = eg$ci.ub)
}

## ---- second set: the Bayesian normal-normal model by quadrature -------------------------
#
# Model: y_i | theta_i ~ N(theta_i, v_i), theta_i | mu, tau ~ N(mu, tau^2), a flat prior on
# mu and a proper prior p(tau) on tau > 0.
#
# With w_i(tau) = 1 / (v_i + tau^2), W = sum w_i and muhat(tau) = sum w_i y_i / W, the
# likelihood with mu integrated out (flat prior) is
#   p(y | tau) = (2 pi)^(-(k-1)/2) W^(-1/2) prod_i w_i^(1/2)
#                * exp(-1/2 sum_i w_i (y_i - muhat)^2),
# so the marginal posterior of tau is p(tau | y) = p(tau) p(y | tau) / C with
# C = int_0^inf p(tau) p(y | tau) dtau (the marginal likelihood).
# Given tau, mu | tau, y ~ N(muhat(tau), 1 / W(tau)), and the effect of a new study
# theta_new | tau, y ~ N(muhat(tau), 1 / W(tau) + tau^2). The marginal posteriors of mu and
# theta_new are these normals mixed over p(tau | y):
#   F_mu(x)    = int Phi((x - muhat(tau)) sqrt(W(tau))) p(tau | y) dtau
#   E[mu]      = int muhat p(tau | y) dtau,
#   Var[mu]    = int (1 / W + muhat^2) p(tau | y) dtau - E[mu]^2  (and likewise for theta_new).
# Quantiles solve F(x) = q by uniroot on a bracket widened until it holds the root.
# Every integral is integrate() (QUADPACK's adaptive Gauss-Kronrod) with rel.tol 1e-13 over
# (0, Inf); the integrand is scaled by its value at the posterior mode to avoid underflow.
priors <- list(
  "halfnormal:0.5" = function(t) 2 * dnorm(t, 0, 0.5),
  "halfnormal:1" = function(t) 2 * dnorm(t, 0, 1),
  "halfcauchy:0.5" = function(t) 2 * dcauchy(t, 0, 0.5),
  "halfcauchy:1" = function(t) 2 * dcauchy(t, 0, 1)
)
bayes_row <- function(yi, vi, prior_name) {
  prior <- priors[[prior_name]]
  k <- length(yi)
  fit_at <- function(t) {
    w <- 1 / (vi + t^2)
    W <- sum(w)
    mh <- sum(w * yi) / W
    list(W = W, muhat = mh,
         loglik = -0.5 * (k - 1) * log(2 * pi) - 0.5 * log(W) + 0.5 * sum(log(w)) -
           0.5 * sum(w * (yi - mh)^2))
  }
  logpost <- function(t) log(prior(t)) + fit_at(t)$loglik
  mode <- optimize(logpost, c(0, 10 * (sqrt(max(vi)) + sd(yi))), maximum = TRUE,
                   tol = 1e-12)$maximum
  shift <- logpost(mode)
  dens_u <- Vectorize(function(t) exp(logpost(t) - shift))
  quad <- function(f) integrate(f, 0, Inf, rel.tol = 1e-13, abs.tol = 0,
                                subdivisions = 10000L)$value
  norm <- quad(dens_u)
  dens <- function(t) dens_u(t) / norm
  marg_loglik <- log(norm) + shift
  per_tau <- function(g) Vectorize(function(t) { f <- fit_at(t); g(t, f) * dens(t) })
  cdf_tau <- function(x) integrate(dens, 0, x, rel.tol = 1e-13, abs.tol = 0,
                                   subdivisions = 10000L)$value
  quantile_of <- function(cdf, q, start, width) {
    lo <- start - width
    hi <- start + width
    while (cdf(lo) > q) lo <- lo - width
    while (cdf(hi) < q) hi <- hi + width
    uniroot(function(x) cdf(x) - q, c(lo, hi), tol = 1e-13, maxiter = 1000)$root
  }
  tau_mean <- quad(per_tau(function(t, f) t))
  tau_sd <- sqrt(quad(per_tau(function(t, f) t^2)) - tau_mean^2)
  tau_q <- function(q) {
    hi <- mode + tau_sd
    while (cdf_tau(hi) < q) hi <- 2 * hi
    uniroot(function(x) cdf_tau(x) - q, c(0, hi), tol = 1e-14, maxiter = 1000)$root
  }
  mixture <- function(extra_var) {
    m <- quad(per_tau(function(t, f) f$muhat))
    s <- sqrt(quad(per_tau(function(t, f) 1 / f$W + extra_var(t) + f$muhat^2)) - m^2)
    cdf <- function(x) quad(per_tau(function(t, f)
      pnorm((x - f$muhat) / sqrt(1 / f$W + extra_var(t)))))
    list(mean = m, sd = s, cdf = cdf, q = function(q) quantile_of(cdf, q, m, s))
  }
  mu <- mixture(function(t) 0)
  theta <- mixture(function(t) t^2)
  data.frame(prior = prior_name, k = k, tau_median = tau_q(0.5), tau_mean = tau_mean,
             tau_sd = tau_sd, tau_lb = tau_q(0.025), tau_ub = tau_q(0.975),
             mu_median = mu$q(0.5), mu_mean = mu$mean, mu_sd = mu$sd, mu_lb = mu$q(0.025),
             mu_ub = mu$q(0.975),
             mu_p_gt0 = quad(per_tau(function(t, f) pnorm(f$muhat * sqrt(f$W)))),
             theta_mean = theta$mean, theta_sd = theta$sd, theta_lb = theta$q(0.025),
             theta_ub = theta$q(0.975))
}
bayes_table <- function(yi, vi) bind(lapply(names(priors), function(p) bayes_row(yi, vi, p)))

second_set <- function(name, yi, vi) {
  write_ref(data.frame(study = seq_along(yi), yi = yi, vi = vi), paste0(name, ".yivi.csv"))
  write_ref(smalltests_table(yi, vi), paste0(name, ".smalltests.csv"))
  write_ref(egger_rma_table(yi, vi), paste0(name, ".egger_rma.csv"))
  write_ref(bayes_table(yi, vi), paste0(name, ".bayes.csv"))
}

## ---- second set: multilevel and correlated-hierarchical models ------------------------

# Three-level model (effects in clusters), and CHE: the same random effects with sampling
# covariances rho sqrt(v_i v_j) within a cluster (vcalc). Cluster-robust CR2 inference with
# Satterthwaite degrees of freedom from clubSandwich.
mv_table <- function(d) {
  models <- list(multilevel = d$vi,
                 che = vcalc(vi, cluster = cluster, obs = obs, rho = 0.6, data = d))
  bind(lapply(names(models), function(nm) {
    f <- rma.mv(yi, models[[nm]], random = ~ 1 | cluster / obs, data = d, method = "REML",
                control = list(rel.tol = 1e-12, iter.max = 10000, eval.max = 10000))
    ct <- coef_test(f, vcov = "CR2")
    ci <- conf_int(f, vcov = "CR2")
    data.frame(model = nm, k = f$k, clusters = length(unique(d$cluster)), estimate = f$b[1],
               se = f$se, stat = f$zval, pval = f$pval, ci_lb = f$ci.lb, ci_ub = f$ci.ub,
               sigma2_cluster = f$sigma2[1], sigma2_obs = f$sigma2[2], Q = f$QE, Q_p = f$QEp,
               logLik = as.numeric(logLik(f)), rve_se = ct$SE, rve_df = ct$df_Satt,
               rve_p = ct$p_Satt, rve_ci_lb = ci$CI_L, rve_ci_ub = ci$CI_U)
  }))
}

## ---- write everything ------------------------------------------------------------------

bcg <- bcg_data()
write_ref(bcg, "bcg.csv")
first_set("bcg", bcg)
subgroup_tables("bcg", bcg, "alloc")
write_ref(metareg_table(bcg, "ablat"), "bcg.metareg_ablat.csv")
second_set("bcg", bcg$yi, bcg$vi)

rd <- raudenbush_data()
write_ref(rd, "raudenbush1985.csv")
first_set("raudenbush1985", rd)
subgroup_tables("raudenbush1985", rd, "tester")
write_ref(metareg_table(rd, "weeks"), "raudenbush1985.metareg_weeks.csv")
second_set("raudenbush1985", rd$yi, rd$vi)

write_ref(normand_data(), "normand1999.csv")
for (measure in c("SMD", "MD")) {
  es <- normand_es(measure)
  tag <- paste0("normand1999.", tolower(measure))
  write_ref(es, paste0(tag, ".es.csv"))
  first_set(tag, es)
}
smd <- normand_es("SMD")
second_set("normand1999", smd$yi, smd$vi)

k11 <- dat.konstantopoulos2011
mvd <- data.frame(cluster = k11$district, obs = k11$school, yi = k11$yi, vi = k11$vi)
write_ref(mvd, "konstantopoulos2011.mv_input.csv")
write_ref(mv_table(mvd), "konstantopoulos2011.mv.csv")
