// What real observing platforms measure, with the QARTOD limits an operator would set for the
// Gulf of Maine (after the GLOS/GMRI suites in gulfofmaine/standard_knowledge): the material the
// synthetic datasets are drawn from.

export interface QcLimits {
  suspect: readonly [number, number];
  fail: readonly [number, number];
  /** spike_test suspect and fail thresholds, data units. */
  spike?: readonly [number, number];
  /** rate_of_change_test threshold, data units per second. */
  rateOfChange?: number;
  /** flat_line_test tolerance, data units. */
  flatLineTolerance?: number;
}

export interface Measurement {
  name: string;
  standardName: string;
  units: string;
  ioosCategory: string;
  longName: string;
  qc?: QcLimits;
}

const met: Measurement[] = [
  { name: 'air_temperature', standardName: 'air_temperature', units: 'degree_Celsius', ioosCategory: 'Meteorology', longName: 'Air Temperature',
    qc: { suspect: [-30, 40], fail: [-40, 50], spike: [3, 6], rateOfChange: 0.002, flatLineTolerance: 0.05 } },
  { name: 'barometric_pressure', standardName: 'air_pressure', units: 'hPa', ioosCategory: 'Pressure', longName: 'Barometric Pressure',
    qc: { suspect: [960, 1050], fail: [900, 1080], spike: [2, 5], rateOfChange: 0.001, flatLineTolerance: 0.05 } },
  { name: 'wind_speed', standardName: 'wind_speed', units: 'm s-1', ioosCategory: 'Wind', longName: 'Wind Speed',
    qc: { suspect: [0, 40], fail: [0, 60], spike: [10, 20], flatLineTolerance: 0.1 } },
  { name: 'wind_gust', standardName: 'wind_speed_of_gust', units: 'm s-1', ioosCategory: 'Wind', longName: 'Wind Gust',
    qc: { suspect: [0, 50], fail: [0, 75], spike: [15, 30] } },
  { name: 'wind_direction', standardName: 'wind_from_direction', units: 'degree', ioosCategory: 'Wind', longName: 'Wind Direction',
    qc: { suspect: [0, 360], fail: [0, 360] } },
  { name: 'relative_humidity', standardName: 'relative_humidity', units: 'percent', ioosCategory: 'Meteorology', longName: 'Relative Humidity',
    qc: { suspect: [5, 100], fail: [0, 100], flatLineTolerance: 0.1 } },
  { name: 'dew_point_temperature', standardName: 'dew_point_temperature', units: 'degree_Celsius', ioosCategory: 'Meteorology', longName: 'Dew Point',
    qc: { suspect: [-35, 30], fail: [-45, 40], spike: [3, 6] } },
  { name: 'visibility', standardName: 'visibility_in_air', units: 'm', ioosCategory: 'Meteorology', longName: 'Visibility',
    qc: { suspect: [10, 20000], fail: [0, 50000] } },
  { name: 'shortwave_radiation', standardName: 'surface_downwelling_shortwave_flux_in_air', units: 'W m-2', ioosCategory: 'Heat Flux', longName: 'Downwelling Shortwave Radiation',
    qc: { suspect: [0, 1200], fail: [0, 1500] } },
];

const waves: Measurement[] = [
  { name: 'significant_wave_height', standardName: 'sea_surface_wave_significant_height', units: 'm', ioosCategory: 'Surface Waves', longName: 'Significant Wave Height',
    qc: { suspect: [0, 15], fail: [0, 25], spike: [2, 4], rateOfChange: 0.001 } },
  { name: 'dominant_wave_period', standardName: 'sea_surface_wave_period_at_variance_spectral_density_maximum', units: 's', ioosCategory: 'Surface Waves', longName: 'Dominant Wave Period',
    qc: { suspect: [1, 25], fail: [0, 35] } },
  { name: 'mean_wave_direction', standardName: 'sea_surface_wave_from_direction', units: 'degree', ioosCategory: 'Surface Waves', longName: 'Mean Wave Direction',
    qc: { suspect: [0, 360], fail: [0, 360] } },
];

const oceanAtDepth: Measurement[] = [
  { name: 'sea_water_temperature', standardName: 'sea_water_temperature', units: 'degree_Celsius', ioosCategory: 'Temperature', longName: 'Sea Water Temperature',
    qc: { suspect: [-1.5, 28], fail: [-2.5, 35], spike: [1.5, 3], rateOfChange: 0.0005, flatLineTolerance: 0.01 } },
  { name: 'salinity', standardName: 'sea_water_practical_salinity', units: '1e-3', ioosCategory: 'Salinity', longName: 'Practical Salinity',
    qc: { suspect: [25, 36], fail: [0, 42], spike: [0.5, 1], flatLineTolerance: 0.005 } },
  { name: 'conductivity', standardName: 'sea_water_electrical_conductivity', units: 'S m-1', ioosCategory: 'Salinity', longName: 'Conductivity',
    qc: { suspect: [2, 6], fail: [0, 7] } },
  { name: 'dissolved_oxygen', standardName: 'mass_concentration_of_oxygen_in_sea_water', units: 'mg L-1', ioosCategory: 'Dissolved O2', longName: 'Dissolved Oxygen',
    qc: { suspect: [2, 14], fail: [0, 20], spike: [1, 2] } },
];

const oceanSurface: Measurement[] = [
  { name: 'chlorophyll', standardName: 'mass_concentration_of_chlorophyll_in_sea_water', units: 'ug L-1', ioosCategory: 'Ocean Color', longName: 'Chlorophyll',
    qc: { suspect: [0, 50], fail: [0, 100], spike: [5, 10] } },
  { name: 'turbidity', standardName: 'sea_water_turbidity', units: '1', ioosCategory: 'Optical Properties', longName: 'Turbidity',
    qc: { suspect: [0, 100], fail: [0, 1000] } },
  { name: 'current_speed', standardName: 'sea_water_speed', units: 'cm s-1', ioosCategory: 'Currents', longName: 'Current Speed',
    qc: { suspect: [0, 200], fail: [0, 300], spike: [30, 60], flatLineTolerance: 0.5 } },
  { name: 'current_direction', standardName: 'direction_of_sea_water_velocity', units: 'degree', ioosCategory: 'Currents', longName: 'Current Direction',
    qc: { suspect: [0, 360], fail: [0, 360] } },
];

export const SENSOR_DEPTHS = [1, 2, 20, 50, 100] as const;

/** One instrument's variable at a depth, e.g. `sea_water_temperature_20m`. */
function atDepth(measurement: Measurement, depth: number): Measurement {
  return { ...measurement, name: `${measurement.name}_${depth}m`, longName: `${measurement.longName} at ${depth} m` };
}

export const MET = [...met, ...waves];
/** Ocean variables grouped by depth, so a buoy's CTDs come as whole instruments. */
export const OCEAN_BY_DEPTH: readonly Measurement[][] = SENSOR_DEPTHS.map((depth) => oceanAtDepth.map((m) => atDepth(m, depth)));
export const OCEAN_SURFACE = oceanSurface;

export const WATER_LEVEL_MLLW: Measurement = {
  name: 'water_level', standardName: 'sea_surface_height_above_mean_lower_low_water', units: 'm', ioosCategory: 'Sea Level', longName: 'Water Level above MLLW',
  qc: { suspect: [-1.5, 4.5], fail: [-3, 6], spike: [0.3, 0.6], rateOfChange: 0.0005, flatLineTolerance: 0.001 },
};
export const WATER_LEVEL_NAVD88: Measurement = {
  name: 'navd88_meters', standardName: 'sea_surface_height_above_geopotential_datum', units: 'm', ioosCategory: 'Sea Level', longName: 'Water Level above NAVD88',
  qc: { suspect: [-2.5, 3], fail: [-4, 5], spike: [0.25, 0.5], flatLineTolerance: 0.001 },
};
export const TIDE_STATION_EXTRAS: readonly Measurement[] = [
  { name: 'water_temperature', standardName: 'sea_water_temperature', units: 'degree_Celsius', ioosCategory: 'Temperature', longName: 'Water Temperature',
    qc: { suspect: [-1.5, 28], fail: [-2.5, 35], spike: [1.5, 3] } },
  met[0], met[1], met[2], met[4],
];

export const OCEAN_MODEL: readonly Measurement[] = [
  { name: 'temp', standardName: 'sea_water_potential_temperature', units: 'degree_Celsius', ioosCategory: 'Temperature', longName: 'Potential Temperature' },
  { name: 'salinity', standardName: 'sea_water_salinity', units: '1e-3', ioosCategory: 'Salinity', longName: 'Salinity' },
  { name: 'u', standardName: 'eastward_sea_water_velocity', units: 'm s-1', ioosCategory: 'Currents', longName: 'Eastward Velocity' },
  { name: 'v', standardName: 'northward_sea_water_velocity', units: 'm s-1', ioosCategory: 'Currents', longName: 'Northward Velocity' },
  { name: 'zeta', standardName: 'sea_surface_height_above_geoid', units: 'm', ioosCategory: 'Sea Level', longName: 'Water Surface Elevation' },
  { name: 'hs', standardName: 'sea_surface_wave_significant_height', units: 'm', ioosCategory: 'Surface Waves', longName: 'Significant Wave Height' },
  { name: 'dye', standardName: 'mass_concentration_of_suspended_matter_in_sea_water', units: 'kg m-3', ioosCategory: 'Total Suspended Matter', longName: 'Suspended Sediment' },
  { name: 'oxygen', standardName: 'mole_concentration_of_dissolved_molecular_oxygen_in_sea_water', units: 'mmol m-3', ioosCategory: 'Dissolved O2', longName: 'Dissolved Oxygen' },
];

export const ATMOSPHERE_MODEL: readonly Measurement[] = [
  { name: 'T2', standardName: 'air_temperature', units: 'K', ioosCategory: 'Meteorology', longName: 'Air Temperature at 2 m' },
  { name: 'PSFC', standardName: 'surface_air_pressure', units: 'Pa', ioosCategory: 'Pressure', longName: 'Surface Pressure' },
  { name: 'U10', standardName: 'eastward_wind', units: 'm s-1', ioosCategory: 'Wind', longName: 'Eastward Wind at 10 m' },
  { name: 'V10', standardName: 'northward_wind', units: 'm s-1', ioosCategory: 'Wind', longName: 'Northward Wind at 10 m' },
  { name: 'RH2', standardName: 'relative_humidity', units: 'percent', ioosCategory: 'Meteorology', longName: 'Relative Humidity at 2 m' },
  { name: 'RAIN', standardName: 'precipitation_flux', units: 'kg m-2 s-1', ioosCategory: 'Meteorology', longName: 'Precipitation' },
];

export const SATELLITE: readonly Measurement[] = [
  { name: 'sst', standardName: 'sea_surface_temperature', units: 'degree_Celsius', ioosCategory: 'Temperature', longName: 'Sea Surface Temperature' },
  { name: 'chlor_a', standardName: 'mass_concentration_of_chlorophyll_a_in_sea_water', units: 'mg m-3', ioosCategory: 'Ocean Color', longName: 'Chlorophyll-a Concentration' },
  { name: 'sst_anomaly', standardName: 'surface_temperature_anomaly', units: 'K', ioosCategory: 'Temperature', longName: 'SST Anomaly' },
  { name: 'kd_490', standardName: 'volume_attenuation_coefficient_of_downwelling_radiative_flux_in_sea_water', units: 'm-1', ioosCategory: 'Optical Properties', longName: 'Diffuse Attenuation at 490 nm' },
];
