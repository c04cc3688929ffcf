//! `spheres nowcast`: each state's present at an origin, read by the observation model
//! (`measure`) from every observation up to the origin and none after: nowcast.csv,
//! filtered.csv, observations.csv, the page and the manifest (docs/MODEL.md, section 9).

use super::{Charts, Ensemble, files, finish, load_tree, sha256, write_resolved};
use crate::distributions::standard_normal;
use crate::error::{Error, Result};
use crate::measure::{
    self, Estimate, Month, Nowcast, ObservationModel, Panel, Poll, PollLink, Series, Sources,
    UnitNowcast, VoteLink, month_of, month_text,
};
use crate::output::columns::{self, FilteredRow, NowcastRow, ObservationRow};
use crate::output::manifest::{self, Experiment, Fitted, Manifest, Skipped};
use crate::output::{AtomicFile, Number};
use crate::scenario::{Scenario, YearMonth};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `spheres nowcast` was asked to do.
#[derive(Clone, Debug)]
pub struct NowcastOptions {
    /// A scenario file, or the name of a bundled scenario: which states to read.
    pub scenario: String,
    /// `YYYY-MM`, or `YYYY` for its December [default: the scenario's start].
    pub origin: Option<String>,
    /// A folder laid out like the repository's data/ [default: the data in the binary].
    pub data: Option<PathBuf>,
    /// `--out`, `--force`, `--no-charts`, `--set`, the terminal and the command line.
    pub ensemble: Ensemble,
}

/// One row of nowcast.csv: a state's variable at the origin.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The state's code.
    pub state: String,
    /// `alignment`, a series' name, or `unga_vote_yes:` and a resolution.
    pub variable: String,
    /// Mean and sd.
    pub estimate: Estimate,
    /// 5 %, 50 % and 95 % quantiles.
    pub quantiles: [f64; 3],
    /// Observations used.
    pub observations: usize,
    /// The last of them.
    pub last_observed: Option<Month>,
}

/// What a nowcast found, and where it was written.
#[derive(Clone, Debug)]
pub struct NowcastReport {
    /// The scenario's name.
    pub scenario: String,
    /// The filter's results and the fitted model.
    pub nowcast: Nowcast,
    /// nowcast.csv's rows, in file order.
    pub rows: Vec<Row>,
    /// Rows of the data not used, with why.
    pub skipped: BTreeMap<String, usize>,
    /// The output folder.
    pub dir: PathBuf,
}

/// The month of `--origin`: `YYYY-MM`, or `YYYY` for its December.
pub fn parse_origin(text: &str) -> Result<Month> {
    if let Some(ym) = YearMonth::parse(text) {
        return Ok(month_of(ym.year, ym.month));
    }
    match text.parse::<i32>() {
        Ok(year) if (1000..=9999).contains(&year) => Ok(month_of(year, 12)),
        _ => Err(Error::Input(format!(
            "--origin: expected YYYY-MM or YYYY (a bare year means its December), found '{text}'"
        ))),
    }
}

/// Reads the panel, fits the observation model up to the origin, filters each state, writes
/// the folder.
pub fn nowcast(opts: &NowcastOptions) -> Result<NowcastReport> {
    let (tree, scenario) = load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    let origin = match &opts.origin {
        Some(text) => parse_origin(text)?,
        None => month_of(scenario.scenario.start.year, scenario.scenario.start.month),
    };
    let units = crate::scenario::observed_units(&scenario);
    let sources = match &opts.data {
        Some(dir) => Sources::folder(dir)?,
        None => Sources::bundled(),
    };
    let panel = Panel::read(&sources, &units)?;
    let nowcast = measure::nowcast(&panel, &units, origin)?;
    let rows = nowcast
        .units
        .iter()
        .flat_map(|u| rows(&nowcast, u))
        .collect();
    let mut inputs = tree.files();
    inputs.extend(opts.data.iter().cloned());
    let name = scenario.scenario.name.clone();
    let dir = opts
        .ensemble
        .prepare_dir(&format!("nowcast-{name}"), &inputs)?;
    let report = NowcastReport {
        scenario: name,
        nowcast,
        rows,
        skipped: panel.skipped.clone(),
        dir,
    };
    write(opts, &scenario, &sources, &panel, &report)?;
    Ok(report)
}

/// A normal estimate's row values.
fn normal_row(e: Estimate) -> (Estimate, [f64; 3]) {
    (e, [e.quantile(0.05), e.mean, e.quantile(0.95)])
}

/// Points of the quadrature that gives a share's mean and sd from its logit's estimate.
const QUADRATURE: usize = 200;

/// A share whose logit is `logit`: quantiles exactly (the logistic is monotone), mean and sd
/// by quadrature.
fn share_row(logit: Estimate) -> (Estimate, [f64; 3]) {
    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    let values: Vec<f64> = (0..QUADRATURE)
        .map(|k| {
            logistic(logit.mean + logit.sd * standard_normal((k as f64 + 0.5) / QUADRATURE as f64))
        })
        .collect();
    let mean = values.iter().sum::<f64>() / QUADRATURE as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / QUADRATURE as f64;
    let q = [0.05, 0.5, 0.95].map(|p| logistic(logit.quantile(p)));
    (
        Estimate {
            mean,
            sd: var.sqrt(),
        },
        q,
    )
}

/// A state's rows: its latent alignment, then each series on its own scale.
fn rows(nowcast: &Nowcast, unit: &UnitNowcast) -> Vec<Row> {
    let model = &nowcast.model;
    let belief = unit.track.at_origin;
    let a = belief.alignment();
    let used_all: usize = unit.used.count.iter().sum();
    let count = |s: Series| unit.used.count[s.index()];
    let last_of = |s: Series| unit.used.last[s.index()];
    let row =
        |variable: &str, (estimate, quantiles): (Estimate, [f64; 3]), observations, last| Row {
            state: unit.state.clone(),
            variable: variable.to_string(),
            estimate,
            quantiles,
            observations,
            last_observed: last,
        };
    // The long-run level is not a row: the panel does not identify it (MODEL.md 9.3).
    let mut out = vec![row(
        "alignment",
        normal_row(a),
        used_all,
        unit.track.last_observed,
    )];
    let se = unit.typical_se.unwrap_or(nowcast.typical_se);
    if let Some((_, ideal)) = model.ideal_point(nowcast.origin.div_euclid(12), a, se) {
        let ideal_point = Series::UngaIdealPoint;
        out.push(row(
            ideal_point.name(),
            normal_row(ideal),
            count(ideal_point),
            last_of(ideal_point),
        ));
    }
    let cfsp = Series::CfspAlignment;
    let links = [
        (cfsp.name(), model.cfsp, count(cfsp), last_of(cfsp)),
        ("us_agreement", model.us_agreement, 0, None),
        ("russia_agreement", model.russia_agreement, 0, None),
    ];
    for (name, link, used, last) in links {
        if let Some(link) = link {
            out.push(row(name, share_row(link.implied(a)), used, last));
        }
    }
    // Only for a state whose own votes the link was fitted on: elsewhere it would extrapolate.
    let own = nowcast.votes.iter().filter(|v| v.state == unit.state);
    let (used, last) = (own.clone().count(), own.map(|v| v.month).max());
    if let Some(votes) = model.votes.as_ref().filter(|_| used > 0) {
        for (r, (resolution, _)) in votes.thresholds.iter().enumerate() {
            let name = format!("unga_vote_yes:{resolution}");
            out.push(row(&name, vote_row(votes.yes(r, a)), used, last));
        }
    }
    out.extend(poll_rows(model, unit));
    out
}

/// A polled state's public opinion and, for each family it was polled in, the share implied.
fn poll_rows(model: &ObservationModel, unit: &UnitNowcast) -> Vec<Row> {
    let (Some(link), Some(public)) = (&model.polls, unit.public) else {
        return Vec::new();
    };
    let row = |variable: String, (estimate, quantiles), polls: Vec<&Poll>| Row {
        state: unit.state.clone(),
        variable,
        estimate,
        quantiles,
        observations: polls.len(),
        last_observed: polls.iter().map(|p| p.month).max(),
    };
    let fitted: Vec<&Poll> = link.fitted(&unit.polls).collect();
    let mut out = vec![row(
        "public_opinion".into(),
        normal_row(public),
        fitted.clone(),
    )];
    for (f, family) in link.families.iter().enumerate() {
        let own: Vec<&Poll> = (fitted.iter().copied())
            .filter(|p| p.family == family.name)
            .collect();
        if !own.is_empty() {
            let share = share_row(link.implied(f, public));
            out.push(row(format!("poll:{}", family.name), share, own));
        }
    }
    out
}

/// A yes vote of probability `p` as a 0/1 outcome: its mean, sd and quantiles.
fn vote_row(p: f64) -> (Estimate, [f64; 3]) {
    let quantile = |q: f64| if q > 1.0 - p { 1.0 } else { 0.0 };
    let sd = (p * (1.0 - p)).sqrt();
    (Estimate { mean: p, sd }, [0.05, 0.5, 0.95].map(quantile))
}

/// Writes nowcast.csv, filtered.csv, observations.csv, the resolved scenario, the page (unless
/// `--no-charts`) and the manifest.
fn write(
    opts: &NowcastOptions,
    scenario: &Scenario,
    sources: &Sources,
    panel: &Panel,
    report: &NowcastReport,
) -> Result<()> {
    let dir = &report.dir;
    AtomicFile::write(dir, "nowcast.csv", &nowcast_csv(&report.rows)?)?;
    AtomicFile::write(dir, "filtered.csv", &filtered_csv(&report.nowcast)?)?;
    AtomicFile::write(
        dir,
        "observations.csv",
        &observations_csv(&report.nowcast, panel)?,
    )?;
    let sha = write_resolved(dir, scenario)?;
    let fields = manifest::Nowcast {
        scenario: report.scenario.clone(),
        scenario_sha256: sha,
        origin: month_text(report.nowcast.origin),
        data: match &opts.data {
            Some(d) => d.display().to_string(),
            None => "bundled".into(),
        },
        data_sha256: sources
            .files
            .iter()
            .map(|(_, text)| sha256(text.as_bytes()))
            .collect(),
        fitted: fitted(&report.nowcast.model),
        states_fitted: report.nowcast.model.states_fitted,
        observations_fitted: report.nowcast.model.observations_fitted,
        log_likelihood: report.nowcast.model.log_likelihood,
        skipped: (report.skipped.iter())
            .map(|(why, rows)| Skipped {
                why: why.clone(),
                rows: *rows,
            })
            .collect(),
    };
    let charts = if opts.ensemble.no_charts {
        Charts::Skip
    } else {
        Charts::Draw
    };
    // A nowcast draws nothing at random: its seed is 0 and it is one pass of the filter.
    let manifest = Manifest::new(
        Experiment::Nowcast(Box::new(fields)),
        0,
        1,
        &opts.ensemble.command_line,
        files(&[
            "nowcast.csv",
            "filtered.csv",
            "observations.csv",
            "scenario.resolved.toml",
        ]),
    );
    finish(dir, charts, manifest)
}

/// A fitted coefficient's manifest entry.
fn item(name: &str, value: f64, meaning: &str) -> Fitted {
    Fitted {
        name: name.into(),
        value,
        meaning: meaning.into(),
    }
}

/// The fitted coefficients, named as docs/MODEL.md, section 9, names them.
fn fitted(model: &ObservationModel) -> Vec<Fitted> {
    let d = model.dynamics;
    let mut out = vec![
        item(
            "persistence_per_year",
            d.persistence_per_year,
            "phi: share of a departure from the long-run level left after a year",
        ),
        item(
            "noise_sd_per_year",
            d.noise_sd_per_year,
            "q: sd of a year's innovation, alignment units",
        ),
        item(
            "extra_error_sd",
            d.extra_error_sd,
            "sigma_x: ideal points' error beyond their posterior sd, alignment units",
        ),
        item(
            "error_scale",
            d.error_scale,
            "kappa: share of an ideal point's posterior sd that is session-to-session error",
        ),
        item(
            "long_run_mean",
            d.long_run_mean,
            "mean of the states' long-run levels, alignment units",
        ),
        item(
            "long_run_sd_per_state",
            d.long_run_sd_per_state,
            "sd of the long-run levels across states, alignment units",
        ),
    ];
    let links = [
        ("cfsp", model.cfsp),
        ("us_agreement", model.us_agreement),
        ("russia_agreement", model.russia_agreement),
    ];
    for (name, link) in links {
        if let Some(l) = link {
            out.push(item(
                &format!("{name}.intercept"),
                l.intercept,
                "logit of the share at alignment 0",
            ));
            out.push(item(
                &format!("{name}.slope"),
                l.slope,
                "logit per alignment unit",
            ));
            out.push(item(
                &format!("{name}.sd"),
                l.sd,
                "residual sd, logit units",
            ));
            out.push(item(
                &format!("{name}.pairs"),
                l.pairs as f64,
                "pairs fitted",
            ));
        }
    }
    if let Some(v) = &model.votes {
        out.extend(votes_fitted(v));
    }
    if let Some(p) = &model.polls {
        out.extend(polls_fitted(p));
    }
    out
}

/// The poll link's coefficients.
fn polls_fitted(p: &PollLink) -> Vec<Fitted> {
    let mut out = vec![
        item(
            "polls.slope",
            p.slope,
            "beta: logit per unit of public opinion",
        ),
        item(
            "polls.gap_sd",
            p.gap_sd,
            "tau: sd across states of the public's gap from its government, alignment units",
        ),
        item("polls.sd", p.sd, "sigma: a poll's residual sd, logit units"),
    ];
    for f in &p.families {
        let direction = if f.toward_moscow {
            "Moscow"
        } else {
            "the West"
        };
        out.push(item(
            &format!("polls.intercept:{}", f.name),
            f.intercept,
            &format!(
                "logit at public opinion 0 of a share rising toward {direction} ({} polls)",
                f.polls
            ),
        ));
    }
    out.push(item("polls.polls", p.polls as f64, "polls fitted"));
    out.push(item(
        "polls.states",
        p.states as f64,
        "states they came from",
    ));
    out
}

/// The vote link's coefficients.
fn votes_fitted(v: &VoteLink) -> Vec<Fitted> {
    let mut out = vec![
        item(
            "votes.band",
            v.band,
            "width of the abstention band above a resolution's threshold, alignment units",
        ),
        item(
            "votes.scale",
            v.scale,
            "the vote probit's scale, alignment units",
        ),
    ];
    for (resolution, t) in &v.thresholds {
        out.push(item(
            &format!("votes.threshold:{resolution}"),
            *t,
            "alignment below which a state votes yes more often than not",
        ));
    }
    out.push(item("votes.votes", v.votes as f64, "votes fitted"));
    out.push(item(
        "votes.not_yes",
        v.not_yes as f64,
        "of them abstentions, absences and noes",
    ));
    out
}

fn nowcast_csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut w = columns::table::<NowcastRow>()?;
    for r in rows {
        let [p05, p50, p95] = r.quantiles.map(Number);
        let last = r.last_observed.map(month_text).unwrap_or_default();
        w.serialize(NowcastRow {
            state: &r.state,
            variable: &r.variable,
            mean: Number(r.estimate.mean),
            sd: Number(r.estimate.sd),
            p05,
            p50,
            p95,
            observations: r.observations,
            last_observed: &last,
        })?;
    }
    Ok(w.into_inner()?)
}

fn filtered_csv(nowcast: &Nowcast) -> Result<Vec<u8>> {
    let mut w = columns::table::<FilteredRow>()?;
    for u in &nowcast.units {
        let origin = (nowcast.origin, u.track.at_origin.alignment());
        let points = u
            .track
            .points
            .iter()
            .copied()
            .filter(|p| p.0 < nowcast.origin);
        for (month, e) in points.chain([origin]) {
            w.serialize(FilteredRow {
                state: &u.state,
                date: &month_text(month),
                mean: Number(e.mean),
                sd: Number(e.sd),
                p05: Number(e.quantile(0.05)),
                p95: Number(e.quantile(0.95)),
            })?;
        }
    }
    Ok(w.into_inner()?)
}

pub(super) fn observations_csv(nowcast: &Nowcast, panel: &Panel) -> Result<Vec<u8>> {
    let mut w = columns::table::<ObservationRow>()?;
    for u in &nowcast.units {
        for o in panel
            .of(&u.state)
            .into_iter()
            .filter(|o| o.month <= nowcast.origin)
        {
            let Some((a, sd)) = nowcast.model.read(o) else {
                continue;
            };
            w.serialize(ObservationRow {
                state: &u.state,
                date: &month_text(o.month),
                series: o.series.name(),
                value: Number(o.value),
                se: (o.se > 0.0).then_some(Number(o.se)),
                alignment: Some(Number(a)),
                alignment_sd: Some(Number(sd)),
            })?;
        }
        for (p, _) in &u.polls {
            w.serialize(ObservationRow {
                state: &u.state,
                date: &month_text(p.month),
                series: &format!("poll:{}", p.family),
                value: Number(p.share),
                se: None,
                alignment: None,
                alignment_sd: None,
            })?;
        }
    }
    Ok(w.into_inner()?)
}

/// The terminal's table: each state's alignment at the origin and the ideal point it implies, with 90 % intervals and the observations used.
pub fn table(report: &NowcastReport) -> String {
    let n = &report.nowcast;
    let d = n.model.dynamics;
    let mut out = format!(
        "nowcast of {} at {} ({} panel states, {} ideal points fitted; persistence {:.3} a year, noise sd {:.3} a year)\n\n",
        report.scenario,
        month_text(n.origin),
        n.model.states_fitted,
        n.model.observations_fitted,
        d.persistence_per_year,
        d.noise_sd_per_year,
    );
    out += &format!(
        "{:<8}{:>24}{:>26}{:>8}{:>10}\n",
        "state", "alignment [90 %]", "UN ideal point [90 %]", "obs", "last"
    );
    let find = |state: &str, variable: &str| {
        report
            .rows
            .iter()
            .find(|r| r.state == state && r.variable == variable)
    };
    let cell = |r: Option<&Row>| match r {
        Some(r) => format!(
            "{:+.2} [{:+.2}, {:+.2}]",
            r.quantiles[1], r.quantiles[0], r.quantiles[2]
        ),
        None => "-".into(),
    };
    for u in &n.units {
        let a = find(&u.state, "alignment");
        out += &format!(
            "{:<8}{:>24}{:>26}{:>8}{:>10}\n",
            u.state,
            cell(a),
            cell(find(&u.state, Series::UngaIdealPoint.name())),
            a.map_or(0, |r| r.observations),
            a.and_then(|r| r.last_observed)
                .map(month_text)
                .unwrap_or_else(|| "none".into()),
        );
    }
    for (why, rows) in &report.skipped {
        out += &format!("\nnot used: {rows} rows ({why})");
    }
    out + "\n"
}
