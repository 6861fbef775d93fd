// The Recharts parts our charts use, in one module that only ChartContainer loads, on demand
// (components/ui/chart.tsx): Recharts is the largest library of the client (about 125 KB gzip), so
// no page loads it before it has a chart to draw. ESLint keeps every other module from importing
// Recharts itself (eslint.config.mjs); a chart that needs another part adds it here.
export { Area, CartesianGrid, ComposedChart, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
