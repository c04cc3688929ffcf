//! Every state's fan chart on one page.

use super::fan::Fan;
use super::{Chart, titled_page};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Every state's fan chart in one grid, on one scale.
pub struct Grid<'a> {
    pub title: String,
    pub fans: Vec<Fan<'a>>,
}

const GRID_COLUMNS: usize = 4;

impl Chart for Grid<'_> {
    fn size(&self) -> (u32, u32) {
        let rows = self.fans.len().div_ceil(GRID_COLUMNS) as u32;
        (400 * GRID_COLUMNS as u32, 50 + 260 * rows.max(1))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String> {
        let body = titled_page(area, &self.title, 22)?;
        let rows = self.fans.len().div_ceil(GRID_COLUMNS).max(1);
        for (cell, fan) in body
            .split_evenly((rows, GRID_COLUMNS))
            .iter()
            .zip(&self.fans)
        {
            fan.draw(cell)?;
        }
        Ok(())
    }
}
