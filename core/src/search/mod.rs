//! Search: the filters and tags the exchange's search offers (sports with their scopes and
//! competitions, series categories with their tags).
//!
//! | operation | request |
//! |---|---|
//! | [`GetFiltersForSports`] | `GET /search/filters_by_sport` |
//! | [`GetTagsForSeriesCategories`] | `GET /search/tags_by_categories` |

mod filters;

pub use filters::{
    GetFiltersForSports, GetFiltersForSportsResponse, GetTagsForSeriesCategories,
    GetTagsForSeriesCategoriesResponse, ScopeList, SportFilterDetails,
};

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) fn spec_cases() -> Vec<crate::spec_drift::Case> {
    crate::spec_drift::spec_cases![GetFiltersForSports, GetTagsForSeriesCategories]
}
