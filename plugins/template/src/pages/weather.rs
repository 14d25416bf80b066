use super::{Ctx, Page};
pub fn build(ctx: &Ctx) -> Page { super::landing::build(ctx) }
