-- Table macro: aging_with at a date, with the basis and bucket bounds of the current build (see build_options); money as in aging_with.
create or replace macro aging_at(as_of) as table
select *
from aging_with(as_of, (select basis from build_options), (select buckets from build_options));
