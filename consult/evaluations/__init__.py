"""Policy evaluation (政策评价 / 决策后评估, seed 002; 国务院令第713号 第三十六条): an evaluation of an issued
decision or another policy, by the methods the seeds name, its offline activities and the opinions heard
there (answered and reviewed like comments), its questionnaire, and its reviewed, published report."""
