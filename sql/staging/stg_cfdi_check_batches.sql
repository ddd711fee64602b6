-- The load batches of CFDI XML that check an ERP's receivables instead of being them. With an ERP (or any other) export of
-- invoices in the warehouse, that export is the ledger: the CFDIs of the same sales are reconciled against it and checked
-- for payment complements (the CFDI marts read stg_cfdi_* and stg_erp_invoices), and their invoices, payments and
-- customers stay out of stg_invoices, stg_payments and stg_customers, so no sale is counted twice. With CFDIs alone, they are the ledger.
select batch_id
from ingest_batches
where format = 'cfdi'
  and exists (select 1 from ingest_batches where entity = 'invoices' and format is distinct from 'cfdi')
