-- hooks phase: hookreg_resolve_live of the 20 measured hooks
SELECT * FROM hookreg_resolve_live(ARRAY['k000001', 'k000002', 'k000003', 'k000004', 'k000005', 'k000006', 'k000007', 'k000008', 'k000009', 'k000010', 'k000011', 'k000012', 'k000013', 'k000014', 'k000015', 'k000016', 'k000017', 'k000018', 'k000019', 'k000020']);
